package interceptors

import (
	"context"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"sync"
	"time"

	"example.com/rpcservices/rpc"
)

// RetryPolicy configures RetryClient.
type RetryPolicy struct {
	MaxAttempts       int
	InitialBackoff    time.Duration
	MaxBackoff        time.Duration
	Multiplier        float64
	PerAttemptTimeout time.Duration
	Codes             []rpc.Code
}

// DefaultRetryPolicy retries Unavailable-like failures three times.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:       3,
		InitialBackoff:    50 * time.Millisecond,
		MaxBackoff:        2 * time.Second,
		Multiplier:        2,
		PerAttemptTimeout: time.Second,
	}
}

// Backoff returns a full-jitter delay before retry number attempt+1.
func (p RetryPolicy) Backoff(attempt int) time.Duration {
	d := float64(p.InitialBackoff) * math.Pow(p.Multiplier, float64(attempt))
	if limit := float64(p.MaxBackoff); limit > 0 && d > limit {
		d = limit
	}
	return time.Duration(rand.Float64() * d)
}

// ShouldRetry reports whether err is worth another attempt.
func (p RetryPolicy) ShouldRetry(err error) bool {
	code := rpc.CodeOf(err)
	if len(p.Codes) == 0 {
		return code.Retryable()
	}
	return slices.Contains(p.Codes, code)
}

// RetryClient retries failed calls with exponential backoff. Each attempt
// gets its own timeout, released at the end of the attempt.
func RetryClient(p RetryPolicy) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		var err error
		for attempt := 0; attempt < p.MaxAttempts; attempt++ {
			if attempt > 0 {
				if werr := sleepCtx(ctx, p.Backoff(attempt-1)); werr != nil {
					return err
				}
			}
			err = func() error {
				actx := rpc.AppendToOutgoing(ctx, "rpc-attempt", strconv.Itoa(attempt))
				if p.PerAttemptTimeout > 0 {
					var cancel context.CancelFunc
					actx, cancel = context.WithTimeout(actx, p.PerAttemptTimeout)
					defer cancel()
				}
				return next(actx, method, req, reply)
			}()
			if err == nil || !p.ShouldRetry(err) {
				return err
			}
		}
		return err
	}
}

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

// RetryBudget limits retries to a fraction of successful calls so that a
// struggling backend is not hit by a retry storm.
type RetryBudget struct {
	mu     sync.Mutex
	tokens float64
	max    float64
	ratio  float64
}

// NewRetryBudget allows max retries in a burst, refilled by ratio per success.
func NewRetryBudget(max, ratio float64) *RetryBudget {
	return &RetryBudget{tokens: max, max: max, ratio: ratio}
}

// OnSuccess refills the budget.
func (b *RetryBudget) OnSuccess() {
	b.mu.Lock()
	b.tokens = math.Min(b.max, b.tokens+b.ratio)
	b.mu.Unlock()
}

// TryRetry takes one retry token if there is one.
func (b *RetryBudget) TryRetry() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
