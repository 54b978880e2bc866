package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// ErrStopped is the cancellation cause used by Stoppable.
var ErrStopped = errors.New("pipeline: stopped")

// CloseOnDone closes c when ctx is done and returns the function that
// detaches the watcher.
func CloseOnDone(ctx context.Context, c io.Closer) (stop func() bool) {
	return context.AfterFunc(ctx, func() { c.Close() })
}

// ReadWithContext reads from conn, unblocking the read when ctx ends by
// setting an immediate deadline. The watcher is detached on return.
func ReadWithContext(ctx context.Context, conn net.Conn, buf []byte) (int, error) {
	defer context.AfterFunc(ctx, func() {
		conn.SetReadDeadline(time.Unix(1, 0))
	})()
	n, err := conn.Read(buf)
	if ctx.Err() != nil {
		return n, context.Cause(ctx)
	}
	return n, err
}

// WriteWithContext is ReadWithContext for writes, with the stop function
// kept in a variable.
func WriteWithContext(ctx context.Context, conn net.Conn, b []byte) (int, error) {
	stop := context.AfterFunc(ctx, func() {
		conn.SetWriteDeadline(time.Unix(1, 0))
	})
	defer stop()
	return conn.Write(b)
}

// Stoppable returns a context that ends with ErrStopped when stop is
// called, and the stop function.
func Stoppable(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	return ctx, func() { cancel(ErrStopped) }
}

// Detach runs fn with a context that keeps ctx's values but not its
// cancellation, bounded by its own timeout; used for audit writes that
// must finish after the request is gone.
func Detach(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
	defer cancel()
	return fn(dctx)
}

// DetachAsync is Detach in the background; the error goes to the log.
func DetachAsync(ctx context.Context, wg *sync.WaitGroup, d time.Duration, fn func(context.Context) error) {
	wg.Go(func() {
		if err := Detach(ctx, d, fn); err != nil {
			slog.WarnContext(ctx, "detached work failed", "err", err)
		}
	})
}

// RaceCause runs every fn concurrently, cancelling the rest with the
// first error as the cause; it joins every goroutine before returning.
func RaceCause(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(func() {
			if err := fn(ctx); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Poll calls check every interval until it reports done, ctx ends, or the
// overall timeout expires with a descriptive cause.
func Poll(ctx context.Context, interval, timeout time.Duration, check func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errors.New("poll: timed out"))
	defer cancel()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
		}
	}
}

// Hangup says goodbye on a line-protocol connection and closes it.
func Hangup(conn net.Conn, reason string) error {
	defer conn.Write([]byte("BYE " + reason + "\r\n")) // HAZ defer-blocking-call
	return conn.SetDeadline(time.Time{})
}

// HangupBounded writes the goodbye with a deadline and then closes.
func HangupBounded(conn net.Conn, reason string) error {
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	_, err := conn.Write([]byte("BYE " + reason + "\r\n"))
	return err
}
