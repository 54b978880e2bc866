// Package retry implements retry policies, timeouts, hedging and a circuit
// breaker.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// ErrTimeout is returned by DoTimeout when the deadline passes first.
var ErrTimeout = errors.New("retry: timed out")

// Policy describes how an operation is retried.
type Policy struct {
	Attempts  int
	Base, Max time.Duration
	Retryable func(error) bool
	Logf      func(format string, args ...any)
	Tracer    func(name string) (finish func())
}

func (p Policy) attempts() int {
	if p.Attempts < 1 {
		return 1
	}
	return p.Attempts
}

// backoff returns a jittered exponential delay for the given attempt.
func (p Policy) backoff(attempt int) time.Duration {
	base := p.Base
	if base <= 0 {
		base = 50 * time.Millisecond
	}
	d := base << min(attempt, 20)
	if p.Max > 0 && d > p.Max {
		d = p.Max
	}
	return d/2 + rand.N(d/2+1)
}

func (p Policy) retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return p.Retryable == nil || p.Retryable(err)
}

func (p Policy) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}

// Do calls op until it succeeds, fails with a non-retryable error, the
// attempts are used up, or ctx ends.
func (p Policy) Do(ctx context.Context, op func(context.Context) error) (err error) {
	timer := time.NewTimer(time.Hour)
	stopTimer(timer)
	defer timer.Stop()

	n := p.attempts()
	for attempt := range n {
		if err = op(ctx); err == nil || !p.retryable(err) {
			return err
		}
		if attempt == n-1 {
			break
		}
		timer.Reset(p.backoff(attempt))
		select {
		case <-ctx.Done():
			stopTimer(timer)
			return errors.Join(err, ctx.Err())
		case <-timer.C:
		}
	}
	return fmt.Errorf("retry: giving up after %d attempts: %w", n, err)
}

// stopTimer stops t and drains a pending tick without ever blocking.
func stopTimer(t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
}

// DoLogged is Do with a log line carrying the outcome.
func (p Policy) DoLogged(ctx context.Context, name string, op func(context.Context) error) error {
	var err error
	defer p.logResult(name, err) // HAZ defer-eager-evaluation
	err = p.Do(ctx, op)
	return err
}

func (p Policy) logResult(name string, err error) {
	if err != nil {
		p.logf("retry: %s failed: %v", name, err)
		return
	}
	p.logf("retry: %s succeeded", name)
}

// DoTimed is Do with a log line carrying the duration and the outcome, both
// read when the deferred closure runs.
func (p Policy) DoTimed(ctx context.Context, name string, op func(context.Context) error) (err error) {
	start := time.Now()
	defer func() {
		p.logf("retry: %s finished after %v: %v", name, time.Since(start), err)
	}()
	return p.Do(ctx, op)
}

// DoTraced is Do inside a tracing span.
func (p Policy) DoTraced(ctx context.Context, name string, op func(context.Context) error) error {
	var finish func()
	if p.Tracer != nil {
		finish = p.Tracer(name)
	}
	defer finish() // HAZ defer-nil-func
	return p.Do(ctx, op)
}

// DoSpan is DoTraced with a no-op span when tracing is off.
func (p Policy) DoSpan(ctx context.Context, name string, op func(context.Context) error) error {
	finish := func() {}
	if p.Tracer != nil {
		if f := p.Tracer(name); f != nil {
			finish = f
		}
	}
	defer finish()
	defer p.logf("retry: %s with %d attempts", name, p.attempts())
	return p.Do(ctx, op)
}
