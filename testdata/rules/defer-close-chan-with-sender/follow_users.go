package closechan

import (
	"context"
	"sync"
)

// The goroutines hand out to follow, which sends on it; when ctx is done follow's select may
// still pick the send after collect has closed out.
func (t *tailer) collect(ctx context.Context, paths []string, out chan<- string) {
	defer close(out) // want `defer close\(out\) in tailer\.collect closes out when tailer\.collect returns, but the goroutine started on line \d+ can still send on it \(line 11 of follow\.go\)`
	for _, p := range paths {
		go func() {
			_ = t.follow(ctx, p, out)
		}()
	}
	<-ctx.Done()
}

// Two calls deep.
func (t *tailer) collectAll(ctx context.Context, paths []string, out chan<- string) {
	defer close(out) // want `can still send on it \(line 11 of follow\.go\)`
	go t.followAll(ctx, paths, out)
	<-ctx.Done()
}

// ---- not flagged ----

// Every follower is waited for before the close.
func (t *tailer) collectWaited(ctx context.Context, paths []string, out chan<- string) {
	defer close(out)
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = t.follow(ctx, p, out)
		}()
	}
	wg.Wait()
}

// The goroutine gets another channel.
func (t *tailer) collectOther(ctx context.Context, paths []string, out, logs chan<- string) {
	defer close(out)
	for _, p := range paths {
		go func() {
			_ = t.follow(ctx, p, logs)
		}()
	}
	<-ctx.Done()
}
