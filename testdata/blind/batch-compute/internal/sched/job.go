// Package sched is a priority job scheduler with per-job cancellation and timeouts.
package sched

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"
)

// State is the lifecycle state of a job.
type State int

// Job states.
const (
	Pending State = iota
	Running
	Done
	Failed
	Cancelled
)

var stateNames = [...]string{"pending", "running", "done", "failed", "cancelled"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// Terminal reports whether no further transition can happen.
func (s State) Terminal() bool { return s == Done || s == Failed || s == Cancelled }

// Job is one schedulable computation.
type Job struct {
	ID       string
	Priority int
	Timeout  time.Duration
	Run      func(ctx context.Context) error

	state    State
	err      error
	cancel   context.CancelFunc
	started  atomic.Int64 // unix nanoseconds
	finished atomic.Int64 // unix nanoseconds
}

// Elapsed returns how long the job ran, or zero if it has not finished.
func (j *Job) Elapsed() time.Duration {
	s, f := j.started.Load(), j.finished.Load()
	if s == 0 || f == 0 {
		return 0
	}
	return time.Duration(f - s)
}

// Event reports a state change.
type Event struct {
	JobID string
	State State
	Err   error
	At    time.Time
}

// Stats counts jobs by state.
type Stats struct {
	Queued, Running, Done, Failed, Cancelled int
}

// Log prints the counts on one line.
func (st Stats) Log(l *log.Logger) {
	l.Printf("jobs: %d queued, %d running, %d done, %d failed, %d cancelled",
		st.Queued, st.Running, st.Done, st.Failed, st.Cancelled)
}

func (st *Stats) count(s State) {
	switch s {
	case Pending:
		st.Queued++
	case Running:
		st.Running++
	case Done:
		st.Done++
	case Failed:
		st.Failed++
	case Cancelled:
		st.Cancelled++
	}
}
