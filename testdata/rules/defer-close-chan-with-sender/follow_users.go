package closechan

import (
	"context"
	"sync"
	"time"
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

type member struct{ id string }

func (m *member) ask() (string, error) { return m.id, nil }

// askAll starts one goroutine per member and returns at once.
func askAll(members []*member, replies chan<- string) {
	for _, m := range members {
		go func() {
			if r, err := m.ask(); err == nil {
				replies <- r
			}
		}()
	}
}

// askAllWaited waits for its goroutines before it returns.
func askAllWaited(members []*member, replies chan<- string) {
	var wg sync.WaitGroup
	for _, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := m.ask(); err == nil {
				replies <- r
			}
		}()
	}
	wg.Wait()
}

// The goroutines askAll starts outlive the timeout return.
func presence(ctx context.Context, members []*member) []string {
	replies := make(chan string, len(members))
	defer close(replies) // want `defer close\(replies\) in presence closes replies when presence returns, but the goroutine that askAll starts \(line \d+\), called on line \d+, can still send on it`
	askAll(members, replies)
	var got []string
	for len(got) < len(members) {
		select {
		case r := <-replies:
			got = append(got, r)
		case <-ctx.Done():
			return got
		}
	}
	return got
}

// ---- not flagged ----

// The helper waits for its own goroutines.
func presenceWaited(members []*member) []string {
	replies := make(chan string, len(members))
	defer close(replies)
	askAllWaited(members, replies)
	var got []string
	for len(replies) > 0 {
		got = append(got, <-replies)
	}
	return got
}

// Every reply is received before the return: the loop is left only when its condition ends.
func presenceAll(members []*member) []string {
	replies := make(chan string, len(members))
	defer close(replies)
	askAll(members, replies)
	var got []string
	for i := 0; i < len(members); i++ {
		got = append(got, <-replies)
	}
	return got
}

// The timer's function sends after debounce has returned and closed fired.
func debounce(quiet time.Duration, events <-chan string) string {
	fired := make(chan string, 1)
	defer close(fired) // want `defer close\(fired\) in debounce closes fired when debounce returns, but the function given to time\.AfterFunc on line \d+, which runs in a goroutine of its own when the timer fires, can still send on it`
	time.AfterFunc(quiet, func() { fired <- "quiet" })
	select {
	case e := <-events:
		return e
	case f := <-fired:
		return f
	}
}

// ---- not flagged ----

// The timer is stopped on the way out.
func debounceStopped(quiet time.Duration, events <-chan string) string {
	fired := make(chan string, 1)
	defer close(fired)
	t := time.AfterFunc(quiet, func() { fired <- "quiet" })
	defer t.Stop()
	select {
	case e := <-events:
		return e
	case f := <-fired:
		return f
	}
}
