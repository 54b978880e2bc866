// Package ctxutil connects context cancellation to blocking I/O with
// context.AfterFunc.
package ctxutil

import (
	"context"
	"io"
	"net"
	"time"
)

// aLongTimeAgo is a deadline in the past: setting it unblocks pending I/O.
var aLongTimeAgo = time.Unix(1, 0)

// CloseOnCancel closes c when ctx is done. Calling the returned stop func
// detaches c from ctx; it reports whether it stopped the close.
func CloseOnCancel(ctx context.Context, c io.Closer) (stop func() bool) {
	return context.AfterFunc(ctx, func() { _ = c.Close() })
}

// Read reads from conn, returning early with ctx's error when ctx is done.
func Read(ctx context.Context, conn net.Conn, buf []byte) (int, error) {
	stop := context.AfterFunc(ctx, func() {
		_ = conn.SetReadDeadline(aLongTimeAgo)
	})
	defer stop()
	n, err := conn.Read(buf)
	if err != nil && ctx.Err() != nil {
		return n, context.Cause(ctx)
	}
	return n, err
}

// ReadFull is io.ReadFull with cancellation.
func ReadFull(ctx context.Context, conn net.Conn, buf []byte) (int, error) {
	defer context.AfterFunc(ctx, func() {
		_ = conn.SetReadDeadline(aLongTimeAgo)
	})()
	n, err := io.ReadFull(conn, buf)
	if err != nil && ctx.Err() != nil {
		return n, context.Cause(ctx)
	}
	return n, err
}

// Write writes p to conn, giving up when ctx is done.
func Write(ctx context.Context, conn net.Conn, p []byte) (int, error) {
	defer context.AfterFunc(ctx, func() { // HAZ defer-func-result-not-called
		_ = conn.SetWriteDeadline(aLongTimeAgo)
	})
	n, err := conn.Write(p)
	if err != nil && ctx.Err() != nil {
		return n, context.Cause(ctx)
	}
	return n, err
}

// Copy copies src to dst. If src can be closed it is closed when ctx is
// done, which unblocks the copy.
func Copy(ctx context.Context, dst io.Writer, src io.Reader) (int64, error) {
	var stop func() bool
	if c, ok := src.(io.Closer); ok {
		stop = context.AfterFunc(ctx, func() { _ = c.Close() })
	}
	defer stop() // HAZ defer-nil-func
	n, err := io.Copy(dst, src)
	if err != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return n, err
}

// CopyReadCloser is Copy for sources that can always be closed.
func CopyReadCloser(ctx context.Context, dst io.Writer, src io.ReadCloser) (int64, error) {
	stop := context.AfterFunc(ctx, func() { _ = src.Close() })
	defer stop()
	n, err := io.Copy(dst, src)
	if err != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return n, err
}

// CopyMaybe is Copy with a no-op stop func for sources that cannot be closed.
func CopyMaybe(ctx context.Context, dst io.Writer, src io.Reader) (int64, error) {
	stop := func() bool { return false }
	if c, ok := src.(io.Closer); ok {
		stop = context.AfterFunc(ctx, func() { _ = c.Close() })
	}
	defer stop()
	return io.Copy(dst, src)
}

// WithOptionalTimeout calls fn with ctx bounded by d, or unbounded when d is
// not positive.
func WithOptionalTimeout(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	cancel := context.CancelFunc(func() {})
	if d > 0 {
		ctx, cancel = context.WithTimeout(ctx, d)
	}
	defer cancel()
	return fn(ctx)
}

// Merge returns a context that is done when either a or b is. The returned
// cancel func releases the link between them.
func Merge(a, b context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(a)
	stop := context.AfterFunc(b, func() { cancel(context.Cause(b)) })
	return ctx, func() {
		stop()
		cancel(context.Canceled)
	}
}

// Sleep waits for d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
