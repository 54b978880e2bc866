package worker

import (
	"context"
	"errors"
	"math/rand/v2"
	"os/exec"
	"syscall"
	"time"
)

// RetryPolicy is an exponential backoff with jitter.
type RetryPolicy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

func (p RetryPolicy) delay(attempt int) time.Duration {
	d := p.Base << (attempt - 1)
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	return d/2 + rand.N(d/2+1)
}

// Retryable reports whether an encoder failure is worth retrying: killed
// processes and I/O hiccups are, bad input is not.
func Retryable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			return true
		}
		return false
	}
	return errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENOSPC)
}

// Retry calls fn until it succeeds, fails permanently, runs out of attempts
// or ctx ends. The timer of each wait is stopped in the same iteration
// instead of being deferred in the loop.
func Retry(ctx context.Context, p RetryPolicy, fn func(ctx context.Context, attempt int) error) error {
	var err error
	for attempt := 1; attempt <= max(1, p.Attempts); attempt++ {
		err = fn(ctx, attempt)
		if err == nil || !Retryable(err) || attempt == p.Attempts {
			return err
		}
		t := time.NewTimer(p.delay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}
