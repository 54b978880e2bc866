// Package lifecycle ties ingest sessions to request and server contexts.
package lifecycle

import (
	"context"
	"errors"
	"time"
)

// ErrGraceExpired is returned when a context is still live after the grace
// period.
var ErrGraceExpired = errors.New("lifecycle: grace period expired")

// AwaitDone waits up to grace for ctx to end and returns its cause.
func AwaitDone(ctx context.Context, grace time.Duration) error {
	done := make(chan error)
	context.AfterFunc(ctx, func() {
		done <- context.Cause(ctx) // HAZ goroutine-blocked-send
	})
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return ErrGraceExpired
	}
}

// AwaitDoneBounded is AwaitDone with a one-slot channel and an unregistered
// callback: a late cancellation can always complete its send.
func AwaitDoneBounded(ctx context.Context, grace time.Duration) error {
	done := make(chan error, 1)
	stop := context.AfterFunc(ctx, func() {
		done <- context.Cause(ctx)
	})
	defer stop()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return ErrGraceExpired
	}
}

// CancelAll returns a context that is cancelled as soon as any parent is.
func CancelAll(parents ...context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.Background())
	stops := make([]func() bool, 0, len(parents))
	for _, p := range parents {
		stops = append(stops, context.AfterFunc(p, func() {
			cancel(context.Cause(p))
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel(context.Canceled)
	}
}
