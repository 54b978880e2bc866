// Package ratelimit throttles data transfers with a token bucket that a
// ticker goroutine refills.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// ErrStopped is returned by waits on a stopped limiter.
var ErrStopped = errors.New("ratelimit: limiter stopped")

// Limiter is a token bucket shared by all transfers of a server (or of a
// user). Tokens are bytes.
type Limiter struct {
	rate  int64 // bytes per second
	burst int64

	mu    sync.Mutex
	avail int64
	wake  chan struct{} // closed and replaced on every refill

	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

// New starts a limiter refilled every tick. burst is the bucket size and
// the largest single wait.
func New(rate, burst int64, tick time.Duration) *Limiter {
	if burst < 1 {
		burst = rate
	}
	l := &Limiter{
		rate:  rate,
		burst: burst,
		avail: burst,
		wake:  make(chan struct{}),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go l.run(tick)
	return l
}

func (l *Limiter) run(tick time.Duration) {
	defer close(l.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.refill(tick)
		}
	}
}

// refill adds one tick's worth of tokens and wakes the waiters.
func (l *Limiter) refill(tick time.Duration) {
	l.mu.Lock()
	per := max(l.rate*int64(tick)/int64(time.Second), 1)
	l.avail = min(l.avail+per, l.burst)
	wake := l.wake
	l.wake = make(chan struct{})
	l.mu.Unlock()
	close(wake)
}

// SetRate changes the refill rate at run time (admin API). The burst
// stays as configured.
func (l *Limiter) SetRate(rate int64) error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if rate <= 0 {
		return fmt.Errorf("ratelimit: rate must be positive, got %d", rate)
	}
	l.rate = rate
	l.mu.Unlock()
	return nil
}

// WaitN blocks until n tokens are available, ctx ends, or the limiter is
// stopped.
func (l *Limiter) WaitN(ctx context.Context, n int64) error {
	if n > l.burst {
		n = l.burst
	}
	for {
		l.mu.Lock()
		if l.avail >= n {
			l.avail -= n
			l.mu.Unlock()
			return nil
		}
		wake := l.wake
		l.mu.Unlock()

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-l.done:
			return ErrStopped
		case <-wake:
		}
	}
}

// Stop ends the refill goroutine and waits for it. Safe to call twice.
func (l *Limiter) Stop() {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
}

// Writer throttles writes to w through l.
type Writer struct {
	ctx   context.Context
	w     io.Writer
	l     *Limiter
	chunk int
}

// NewWriter wraps w. Writes are split into chunks no larger than the
// limiter's burst.
func NewWriter(ctx context.Context, w io.Writer, l *Limiter) *Writer {
	chunk := 32 << 10
	if int64(chunk) > l.burst {
		chunk = int(l.burst)
	}
	return &Writer{ctx: ctx, w: w, l: l, chunk: chunk}
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), w.chunk)
		if err := w.l.WaitN(w.ctx, int64(n)); err != nil {
			return written, err
		}
		m, err := w.w.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}
