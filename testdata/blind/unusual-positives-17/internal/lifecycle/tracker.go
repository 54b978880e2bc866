package lifecycle

import (
	"context"
	"sync"
	"time"
)

// Tracker counts in-flight requests so that shutdown can wait for them.
// A request is finished when its context ends.
type Tracker struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	active map[string]time.Time
	logf   func(format string, args ...any)
}

// NewTracker returns an empty tracker.
func NewTracker(logf func(string, ...any)) *Tracker {
	return &Tracker{active: make(map[string]time.Time), logf: logf}
}

// finish removes id and returns when it started.
func (t *Tracker) finish(id string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	started, ok := t.active[id]
	delete(t.active, id)
	return started, ok
}

// Track registers a request that ends with ctx.
func (t *Tracker) Track(ctx context.Context, id string) {
	t.mu.Lock()
	t.active[id] = time.Now()
	t.mu.Unlock()
	t.wg.Add(1)
	context.AfterFunc(ctx, func() {
		started, ok := t.finish(id)
		if !ok {
			t.logf("tracker: request %s finished twice", id)
			return
		}
		t.logf("tracker: request %s done after %v", id, time.Since(started))
		t.wg.Done() // HAZ waitgroup-done-path
	})
}

// TrackDeferred is Track with Done deferred at the top of the callback, so
// the duplicate-id path still decrements the counter.
func (t *Tracker) TrackDeferred(ctx context.Context, id string) {
	t.mu.Lock()
	t.active[id] = time.Now()
	t.mu.Unlock()
	t.wg.Add(1)
	context.AfterFunc(ctx, func() {
		defer t.wg.Done()
		started, ok := t.finish(id)
		if !ok {
			t.logf("tracker: request %s finished twice", id)
			return
		}
		t.logf("tracker: request %s done after %v", id, time.Since(started))
	})
}

// Expire records id and removes it when ctx ends. The callback takes the
// tracker lock, but AfterFunc runs it in its own goroutine, so at worst it
// waits for Expire to return.
func (t *Tracker) Expire(ctx context.Context, id string) (stop func() bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.active[id] = time.Now()
	return context.AfterFunc(ctx, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.active, id)
	})
}

// Wait blocks until every tracked request has finished or ctx ends.
func (t *Tracker) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
