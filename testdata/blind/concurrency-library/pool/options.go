package pool

import (
	"log"
	"time"
)

// Option configures a Pool or an Elastic pool.
type Option func(*options)

type options struct {
	queue      int
	jobTimeout time.Duration
	logf       func(format string, args ...any)
	limit      chan struct{} // optional cap on concurrently running jobs across pools
	idle       time.Duration
	max        int
}

func defaultOptions() options {
	return options{
		queue:      64,
		jobTimeout: 30 * time.Second,
		logf:       func(string, ...any) {},
		idle:       10 * time.Second,
		max:        16,
	}
}

func (o *options) apply(opts []Option) {
	for _, fn := range opts {
		fn(o)
	}
}

// WithQueue sets the number of jobs that may wait for a worker.
func WithQueue(n int) Option {
	return func(o *options) {
		if n >= 0 {
			o.queue = n
		}
	}
}

// WithJobTimeout bounds the context handed to each job.
func WithJobTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.jobTimeout = d
		}
	}
}

// WithLogger routes pool diagnostics to l.
func WithLogger(l *log.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logf = l.Printf
		}
	}
}

// WithSharedLimit makes the pool take a slot from sem for every running job,
// so several pools can share one global concurrency budget.
func WithSharedLimit(sem chan struct{}) Option {
	return func(o *options) { o.limit = sem }
}

// WithIdleTimeout sets how long an elastic worker may stay idle before exiting.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.idle = d
		}
	}
}

// WithMaxWorkers caps the number of elastic workers.
func WithMaxWorkers(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.max = n
		}
	}
}
