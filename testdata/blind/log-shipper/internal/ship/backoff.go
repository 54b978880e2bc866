package ship

import (
	"context"
	"errors"
	"math/rand"
	"net"
	"time"
)

// Backoff computes exponential delays with jitter.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Factor float64
	Jitter float64 // 0..1, fraction of the delay randomised
}

// DefaultBackoff starts at 500ms and caps at 1m.
var DefaultBackoff = Backoff{Base: 500 * time.Millisecond, Max: time.Minute, Factor: 2, Jitter: 0.2}

// Delay returns the wait before attempt n (n >= 1).
func (b Backoff) Delay(n int) time.Duration {
	d := float64(b.Base)
	for i := 1; i < n; i++ {
		d *= b.Factor
		if d >= float64(b.Max) {
			d = float64(b.Max)
			break
		}
	}
	if b.Jitter > 0 {
		d += d * b.Jitter * (rand.Float64()*2 - 1)
	}
	if d > float64(b.Max) {
		d = float64(b.Max)
	}
	return time.Duration(d)
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	var re *retryableError
	if errors.As(err, &re) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// Limiter bounds the number of concurrent requests.
type Limiter struct{ slots chan struct{} }

// NewLimiter allows n concurrent holders.
func NewLimiter(n int) *Limiter { return &Limiter{slots: make(chan struct{}, n)} }

// Acquire blocks until a slot is free and returns the function that frees it.
func (l *Limiter) Acquire() func() {
	l.slots <- struct{}{}
	return func() {
		select {
		case <-l.slots:
		default:
		}
	}
}
