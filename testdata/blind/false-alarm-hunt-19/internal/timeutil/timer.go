// Package timeutil holds timer and latency helpers shared by the servers.
package timeutil

import (
	"context"
	"time"
)

// Timer wraps time.Timer so that Reset is safe whether or not the previous
// value was consumed. After receiving from C, set Read to true.
//
// The zero Timer is stopped; the first Reset creates the underlying timer.
type Timer struct {
	timer *time.Timer
	C     <-chan time.Time
	Read  bool
}

// Reset stops the timer, drains a fired-but-unread value and re-arms it.
func (t *Timer) Reset(d time.Duration) {
	if t.timer == nil {
		t.timer = time.NewTimer(d)
		t.C = t.timer.C
		return
	}
	if !t.timer.Stop() && !t.Read {
		<-t.C
	}
	t.timer.Reset(d)
	t.Read = false
}

// Stop stops the timer and discards a pending value without blocking, so
// it is safe to defer. It reports whether the timer was still armed.
func (t *Timer) Stop() bool {
	if t.timer == nil {
		return false
	}
	stopped := t.timer.Stop()
	if !stopped && !t.Read {
		select {
		case <-t.C:
		default:
		}
	}
	t.Read = false
	return stopped
}

// Sleep pauses for d or until ctx is done, whichever happens first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
