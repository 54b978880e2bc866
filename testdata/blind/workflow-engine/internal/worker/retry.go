package worker

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// NonRetryableError marks a failure that retrying cannot fix.
type NonRetryableError struct{ Err error }

func (e *NonRetryableError) Error() string { return "non-retryable: " + e.Err.Error() }
func (e *NonRetryableError) Unwrap() error { return e.Err }

// Retryable reports whether another attempt might succeed.
func Retryable(err error) bool {
	var nr *NonRetryableError
	if errors.As(err, &nr) {
		return false
	}
	return !errors.Is(err, ErrUnknownActivity)
}

// Backoff returns the delay before attempt (1-based): exponential from base,
// capped at max, with "equal jitter" so that retries of a burst spread out.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := base << min(attempt-1, 30)
	if d <= 0 || d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// executeWithRetry runs attempts until one succeeds, the error is not
// retryable, the budget is exhausted or ctx ends.
func (w *Worker) executeWithRetry(ctx context.Context, t *Task) ([]byte, error) {
	if t.Attempt < 1 {
		t.Attempt = 1
	}
	var lastErr error
	for attempt := t.Attempt; ; attempt++ {
		t.Attempt = attempt
		out, err := w.runAttempt(ctx, t)
		if err == nil {
			return out, nil
		}
		lastErr = err
		if !Retryable(err) || (t.MaxAttempts > 0 && attempt >= t.MaxAttempts) {
			return nil, lastErr
		}
		d := Backoff(attempt, w.baseBackoff, w.maxBackoff)
		w.log.Printf("worker: %s attempt %d failed: %v; retrying in %s", t.ID, attempt, err, d)
		if err := sleepCtx(ctx, d); err != nil {
			return nil, errors.Join(lastErr, err)
		}
	}
}
