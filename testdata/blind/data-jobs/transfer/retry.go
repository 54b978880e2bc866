// Package transfer uploads and downloads batch files over HTTP with retries.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"
)

// StatusError is returned for unexpected HTTP status codes.
type StatusError struct {
	URL    string
	Code   int
	Status string
}

func (e *StatusError) Error() string { return fmt.Sprintf("transfer: %s: %s", e.URL, e.Status) }

// Temporary reports whether a retry may succeed.
func (e *StatusError) Temporary() bool { return e.Code == 429 || e.Code >= 500 }

// RetryPolicy retries with exponential backoff and jitter.
type RetryPolicy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

func (p RetryPolicy) attempts() int {
	if p.Attempts < 1 {
		return 1
	}
	return p.Attempts
}

func (p RetryPolicy) backoff(n int) time.Duration {
	base, limit := p.Base, p.Max
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	if limit <= 0 {
		limit = 30 * time.Second
	}
	d := base << n
	if d <= 0 || d > limit {
		d = limit
	}
	half := d / 2
	return half + rand.N(half+1)
}

// Retryable reports whether err is worth another attempt.
func Retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// Do calls fn until it succeeds, fails permanently, runs out of attempts or ctx ends.
func (p RetryPolicy) Do(ctx context.Context, fn func(context.Context) error) error {
	var err error
	for attempt := 0; attempt < p.attempts(); attempt++ {
		if err = fn(ctx); err == nil || !Retryable(err) {
			return err
		}
		if attempt+1 == p.attempts() {
			break
		}
		t := time.NewTimer(p.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}
