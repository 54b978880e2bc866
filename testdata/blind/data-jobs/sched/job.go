// Package sched runs batch jobs with timeouts, retries and cancellation.
package sched

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Job is one unit of batch work.
type Job struct {
	Name    string
	Timeout time.Duration
	Retries int
	Run     func(ctx context.Context) error
	// Cleanup, when set, runs after the last attempt.
	Cleanup func()
}

// Result describes a finished job.
type Result struct {
	Job      string
	Err      error
	Attempts int
	Started  time.Time
	Finished time.Time
}

// Duration returns how long the job ran.
func (r Result) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// Event is a lifecycle notification.
type Event struct {
	Job  string
	Kind string
	At   time.Time
}

var (
	ErrQueueFull  = errors.New("sched: queue full")
	ErrStopped    = errors.New("sched: scheduler stopped")
	ErrTimeout    = errors.New("sched: job timed out")
	ErrUnknownJob = errors.New("sched: unknown job")
)

// PanicError wraps a panic raised by a job.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("sched: job panicked: %v", e.Value) }

// Stats counts finished jobs.
type Stats struct {
	Ran, Failed, Panicked int64
}

// WriteTo prints the counters on one line.
func (st Stats) WriteTo(w io.Writer) (int64, error) {
	n, err := fmt.Fprintf(w, "jobs ran=%d failed=%d panicked=%d\n", st.Ran, st.Failed, st.Panicked)
	return int64(n), err
}

type shardKey struct{}

// WithShard annotates ctx with a shard number.
func WithShard(ctx context.Context, shard int) context.Context {
	return context.WithValue(ctx, shardKey{}, shard)
}

// ShardFrom returns the shard number stored by WithShard.
func ShardFrom(ctx context.Context) (int, bool) {
	n, ok := ctx.Value(shardKey{}).(int)
	return n, ok
}
