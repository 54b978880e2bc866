package blockedsend

import (
	"context"
	"errors"
	"time"
)

var errGrace = errors.New("grace period expired")

// The literal runs in a goroutine of its own once ctx ends; when the timer wins the select,
// nobody receives its send and that goroutine blocks forever.
func awaitCause(ctx context.Context, grace time.Duration) error {
	done := make(chan error) // want `awaitCause makes done unbuffered, and the function literal given to context\.AfterFunc on line \d+ \(run in a goroutine of its own once the context ends\) sends its result on it`
	context.AfterFunc(ctx, func() {
		done <- context.Cause(ctx)
	})
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errGrace
	}
}

// The same through time.AfterFunc, its timer dropped.
func firstOf(ctx context.Context, d time.Duration) bool {
	fired := make(chan struct{}) // want `firstOf makes fired unbuffered, and the function literal given to time\.AfterFunc on line \d+ \(run in a goroutine of its own when the timer fires\)`
	_ = time.AfterFunc(d, func() {
		fired <- struct{}{}
	})
	select {
	case <-fired:
		return true
	case <-ctx.Done():
		return false
	}
}

// One slot: the send completes whether or not anyone receives.
func awaitCauseBuffered(ctx context.Context, grace time.Duration) error {
	done := make(chan error, 1)
	context.AfterFunc(ctx, func() {
		done <- context.Cause(ctx)
	})
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errGrace
	}
}

// The stop function is kept and called: the literal does not run after awaitCauseStopped returns
// unless it had already started.
func awaitCauseStopped(ctx context.Context, grace time.Duration) error {
	done := make(chan error)
	stop := context.AfterFunc(ctx, func() {
		select {
		case done <- context.Cause(ctx):
		default:
		}
	})
	defer stop()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errGrace
	}
}

// Always received: the only way out waits for the send.
func awaitCauseAlways(ctx context.Context) error {
	done := make(chan error)
	context.AfterFunc(ctx, func() {
		done <- context.Cause(ctx)
	})
	return <-done
}
