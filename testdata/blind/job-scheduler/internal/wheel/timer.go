package wheel

import (
	"context"
	"sync"
	"time"
)

// Debouncer calls fn once after the last Trigger in a quiet period of d.
type Debouncer struct {
	d  time.Duration
	fn func()

	mu sync.Mutex
	t  *time.Timer
}

// NewDebouncer returns a Debouncer; fn runs on its own goroutine.
func NewDebouncer(d time.Duration, fn func()) *Debouncer {
	return &Debouncer{d: d, fn: fn}
}

// Trigger (re)starts the quiet period.
func (b *Debouncer) Trigger() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.t == nil {
		b.t = time.AfterFunc(b.d, b.fn)
		return
	}
	b.t.Reset(b.d)
}

// Stop cancels a pending call; it reports whether one was pending.
func (b *Debouncer) Stop() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.t == nil {
		return false
	}
	return b.t.Stop()
}

// Deadline runs fn after d unless ctx ends first or the returned stop
// function is called. stop is idempotent.
func Deadline(ctx context.Context, d time.Duration, fn func()) (stop func()) {
	t := time.AfterFunc(d, fn)
	unregister := context.AfterFunc(ctx, func() { t.Stop() })
	return sync.OnceFunc(func() {
		t.Stop()
		unregister()
	})
}

// Sleep waits for d or until ctx ends, without leaking a timer.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
