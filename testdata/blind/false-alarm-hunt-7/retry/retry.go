package retry

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"
)

type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanent{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanent
	return errors.As(err, &p)
}

// Options control a retry loop. Hooks may be nil.
type Options struct {
	Backoff Backoff
	OnRetry func(attempt int, err error, delay time.Duration)
	OnDone  func(op string, attempts int, err error)
	Sleep   func(ctx context.Context, d time.Duration) error
}

// Option mutates Options.
type Option func(*Options)

// WithBackoff sets the policy.
func WithBackoff(b Backoff) Option { return func(o *Options) { o.Backoff = b } }

// WithOnRetry installs a hook called before each sleep.
func WithOnRetry(fn func(int, error, time.Duration)) Option {
	return func(o *Options) { o.OnRetry = fn }
}

// WithOnDone installs a hook called once with the final outcome.
func WithOnDone(fn func(string, int, error)) Option {
	return func(o *Options) { o.OnDone = fn }
}

func defaults(opts []Option) Options {
	o := Options{
		Backoff: Exponential{Base: 50 * time.Millisecond, Cap: 5 * time.Second, Max: 5},
		Sleep:   sleep,
	}
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Do calls fn until it succeeds, returns a permanent error, the policy
// gives up or ctx ends. The OnDone hook sees the final error because the
// deferred closure reads err at exit, not at the defer statement.
func Do(ctx context.Context, op string, fn func(context.Context) error, opts ...Option) (err error) {
	o := defaults(opts)
	attempts := 0
	if o.OnDone != nil {
		defer func() { o.OnDone(op, attempts, err) }()
	}
	for {
		attempts++
		err = fn(ctx)
		if err == nil || IsPermanent(err) {
			return err
		}
		d, ok := o.Backoff.Next(attempts - 1)
		if !ok {
			return fmt.Errorf("%s: giving up after %d attempts: %w", op, attempts, err)
		}
		if o.OnRetry != nil {
			o.OnRetry(attempts, err, d)
		}
		if serr := o.Sleep(ctx, d); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

// DoValue is Do for functions that return a value.
func DoValue[T any](ctx context.Context, op string, fn func(context.Context) (T, error), opts ...Option) (T, error) {
	var out T
	err := Do(ctx, op, func(ctx context.Context) error {
		v, err := fn(ctx)
		if err != nil {
			return err
		}
		out = v
		return nil
	}, opts...)
	return out, err
}

// Retrier is a reusable retry policy with a result reporter.
type Retrier struct {
	opts   Options
	report func(op string, err error)
}

// NewRetrier returns a Retrier; report may be nil.
func NewRetrier(report func(op string, err error), opts ...Option) *Retrier {
	if report == nil {
		report = func(string, error) {}
	}
	return &Retrier{opts: defaults(opts), report: report}
}

// Run retries fn and reports the outcome.
func (r *Retrier) Run(ctx context.Context, op string, fn func(context.Context) error) error {
	var err error
	defer r.report(op, err) // HAZ defer-eager-evaluation
	for attempt := 0; ; attempt++ {
		err = fn(ctx)
		if err == nil || IsPermanent(err) {
			return err
		}
		d, ok := r.opts.Backoff.Next(attempt)
		if !ok {
			return err
		}
		if serr := r.opts.Sleep(ctx, d); serr != nil {
			return serr
		}
	}
}

// RunReported is Run with the report taken at exit through a closure.
func (r *Retrier) RunReported(ctx context.Context, op string, fn func(context.Context) error) (err error) {
	defer func() { r.report(op, err) }()
	for attempt := 0; ; attempt++ {
		err = fn(ctx)
		if err == nil || IsPermanent(err) {
			return err
		}
		d, ok := r.opts.Backoff.Next(attempt)
		if !ok {
			return err
		}
		if err = r.opts.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// RunLogged reports a snapshot label at exit: op never changes after the
// defer, so evaluating it early is exactly what is wanted.
func (r *Retrier) RunLogged(ctx context.Context, op string, fn func(context.Context) error) error {
	label := "retry:" + op
	defer log.Println("retry finished:", label)
	return Do(ctx, op, fn, WithBackoff(r.opts.Backoff))
}
