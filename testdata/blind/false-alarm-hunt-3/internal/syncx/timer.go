package syncx

import (
	"context"
	"math/rand"
	"sync"
	"time"
)

// StopTimer stops t and drains its channel if the timer already fired and
// nobody received the value, so t can be Reset safely (pre-go1.23 semantics).
func StopTimer(t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop() // ok: Stop never blocks
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Backoff computes jittered exponential delays.
type Backoff struct {
	Base, Max time.Duration
	attempt   int
}

// Next returns the next delay.
func (b *Backoff) Next() time.Duration {
	d := b.Base << uint(b.attempt)
	if d <= 0 || d > b.Max {
		d = b.Max
	} else {
		b.attempt++
	}
	return d/2 + time.Duration(rand.Int63n(int64(d/2)+1))
}

// Reset restarts the sequence.
func (b *Backoff) Reset() { b.attempt = 0 }

// Retry calls fn until it succeeds, ctx ends or attempts run out. A single
// timer is reused across attempts and drained before each Reset.
func Retry(ctx context.Context, attempts int, b *Backoff, fn func(context.Context) error) error {
	var err error
	t := time.NewTimer(time.Hour)
	StopTimer(t)
	defer t.Stop() // ok: registered once, outside the loop
	for i := 0; i < attempts; i++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		t.Reset(b.Next())
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// Debouncer runs fn once activity has been quiet for a period.
type Debouncer struct {
	mu     sync.Mutex
	period time.Duration
	timer  *time.Timer
	fn     func()
}

// NewDebouncer returns a debouncer for fn.
func NewDebouncer(period time.Duration, fn func()) *Debouncer {
	return &Debouncer{period: period, fn: fn}
}

// Trigger records activity.
func (d *Debouncer) Trigger() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop() // ok: AfterFunc timers have no channel to drain
	}
	d.timer = time.AfterFunc(d.period, d.fn)
}

// Cancel drops any pending run.
func (d *Debouncer) Cancel() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer == nil {
		return false
	}
	stopped := d.timer.Stop()
	d.timer = nil
	return stopped
}

// Heartbeat sends a tick on out every interval until ctx is done, then
// closes out. It is the only sender on out.
func Heartbeat(ctx context.Context, interval time.Duration) <-chan time.Time {
	out := make(chan time.Time)
	go func() {
		defer close(out) // ok: the goroutine owns out
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				select {
				case out <- now:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// Deadline runs fn with a timeout and returns its error or the timeout.
func Deadline(parent context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	errc := make(chan error, 1) // ok: buffered, the sender never blocks if we leave early
	go func() { errc <- fn(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Poll calls cond every interval until it returns true or ctx ends.
func Poll(ctx context.Context, interval time.Duration, cond func() (bool, error)) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
