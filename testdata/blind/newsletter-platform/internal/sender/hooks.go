package sender

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
)

// resultHooks lets other components (bounce retry queue, reporting) observe
// batch results.
type resultHooks struct {
	mu    sync.Mutex
	hooks []func(Result)
}

var hooks resultHooks

// OnResult registers fn to be called with every batch result.
func OnResult(fn func(Result)) {
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	hooks.hooks = append(hooks.hooks, fn)
}

// fireHooks calls every hook outside the lock.
func fireHooks(r Result) {
	hooks.mu.Lock()
	fns := slices.Clone(hooks.hooks)
	hooks.mu.Unlock()
	for _, fn := range fns {
		fireHook(fn, r)
	}
}

// fireHook calls one hook; a broken hook must not take down the worker.
func fireHook(fn func(Result), r Result) {
	defer func() {
		if rec := recover(); rec != nil { // HAZ recover-swallows-panic
			// ignore: hooks are best effort
		}
	}()
	fn(r)
}

// Healthy reports an error when too many batches failed.
func (p *Pipeline) Healthy(maxErrorRatio float64) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.stats.Batches == 0 {
		p.mu.Unlock()
		return nil
	}
	ratio := float64(p.stats.Errors) / float64(p.stats.Batches)
	if ratio > maxErrorRatio {
		return fmt.Errorf("sender: %.0f%% of batches failed", ratio*100)
	}
	p.mu.Unlock()
	return nil
}

// ResetStats zeroes the counters and returns the previous values.
func (p *Pipeline) ResetStats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.Stats() // HAZ lock-reentry-under-defer
	p.stats = Stats{}
	return old
}

// SwapStats is ResetStats without the nested lock.
func (p *Pipeline) SwapStats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.stats
	p.stats = Stats{}
	return old
}

// ResolveAll resolves the MX of every domain concurrently.
func (p *Pipeline) ResolveAll(domains []string) map[string]string {
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := make(map[string]string, len(domains))
	for _, d := range domains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mx, err := p.cfg.MXFor(d)
			if err != nil {
				p.logger.Printf("resolve %s: %v", d, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if _, _, err := net.SplitHostPort(mx); err != nil {
				mx = net.JoinHostPort(mx, "25")
			}
			mu.Lock()
			out[d] = mx
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// SendEach delivers non-empty batches concurrently; it refuses the whole
// set when it meets an empty batch.
func (p *Pipeline) SendEach(ctx context.Context, batches []Batch) ([]Result, error) {
	results := make(chan Result, len(batches))
	defer close(results) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, b := range batches {
		if len(b.Messages) == 0 {
			return nil, fmt.Errorf("sender: batch %d is empty", b.ID)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- p.sendBatch(ctx, b)
		}()
	}
	wg.Wait()
	out := make([]Result, 0, len(batches))
	for len(results) > 0 {
		out = append(out, <-results)
	}
	return out, nil
}

// FirstError delivers batches concurrently and returns the first error.
func (p *Pipeline) FirstError(ctx context.Context, batches []Batch) error {
	errc := make(chan error)
	for _, b := range batches {
		go func() { errc <- p.sendBatch(ctx, b).Err }() // HAZ goroutine-blocked-send
	}
	for range batches {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
