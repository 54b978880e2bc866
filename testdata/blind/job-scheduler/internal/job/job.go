// Package job holds the types shared by the scheduler, the runners and the
// history store.
package job

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Func is the body of a job. It must return when ctx is done.
type Func func(ctx context.Context) error

// Job is one schedulable unit of work.
type Job struct {
	ID          string
	Name        string
	Spec        string // cron expression or @descriptor
	Timeout     time.Duration
	MaxAttempts int
	Run         Func
}

// Result describes one attempt of a job.
type Result struct {
	JobID    string    `json:"job_id"`
	Attempt  int       `json:"attempt"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Err      string    `json:"error,omitempty"`
	Panicked bool      `json:"panicked,omitempty"`
}

// Duration is the wall time of the attempt.
func (r Result) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// OK reports whether the attempt succeeded.
func (r Result) OK() bool { return r.Err == "" && !r.Panicked }

// PanicError is returned for an attempt that panicked.
type PanicError struct {
	JobID string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("job %s panicked: %v", e.JobID, e.Value)
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid job")

// Validate checks the static fields of j.
func Validate(j *Job) error {
	var errs []error
	if strings.TrimSpace(j.ID) == "" {
		errs = append(errs, errors.New("empty id"))
	}
	if strings.ContainsAny(j.ID, "/ \t") {
		errs = append(errs, fmt.Errorf("id %q contains a slash or blank", j.ID))
	}
	if j.Spec == "" {
		errs = append(errs, errors.New("empty schedule"))
	}
	if j.Run == nil {
		errs = append(errs, errors.New("no run function"))
	}
	if j.Timeout < 0 {
		errs = append(errs, fmt.Errorf("negative timeout %s", j.Timeout))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w %q: %w", ErrInvalid, j.ID, err)
	}
	return nil
}
