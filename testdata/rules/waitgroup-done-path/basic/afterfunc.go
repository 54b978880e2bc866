package fixture

import (
	"context"
	"log"
	"sync"
	"time"
)

type reqTracker struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	active map[string]time.Time
}

func (t *reqTracker) finish(id string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	started, ok := t.active[id]
	delete(t.active, id)
	return started, ok
}

// The callback runs in a goroutine of its own once ctx ends; its early return skips Done.
func (t *reqTracker) track(ctx context.Context, id string) {
	t.mu.Lock()
	t.active[id] = time.Now()
	t.mu.Unlock()
	t.wg.Add(1)
	context.AfterFunc(ctx, func() {
		started, ok := t.finish(id)
		if !ok {
			log.Printf("request %s finished twice", id)
			return
		}
		log.Printf("request %s took %v", id, time.Since(started))
		t.wg.Done() // want `t\.wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in the function literal given to context\.AfterFunc on line \d+`
	})
}

// Done deferred at the top of the callback: every path marks the group.
func (t *reqTracker) trackDeferred(ctx context.Context, id string) {
	t.wg.Add(1)
	context.AfterFunc(ctx, func() {
		defer t.wg.Done()
		started, ok := t.finish(id)
		if !ok {
			return
		}
		log.Printf("request %s took %v", id, time.Since(started))
	})
}

// Done on every path of the callback.
func (t *reqTracker) trackBoth(d time.Duration, id string) {
	t.wg.Add(1)
	time.AfterFunc(d, func() {
		if _, ok := t.finish(id); !ok {
			t.wg.Done()
			return
		}
		t.wg.Done()
	})
}

func (t *reqTracker) wait() { t.wg.Wait() }
