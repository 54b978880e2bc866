package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// ErrPanicked wraps the value of a recovered job panic.
var ErrPanicked = errors.New("jobs: job panicked")

// recoverJob turns a panic of job j into an error stored in *errp. It must
// be deferred directly.
func (r *Runner) recoverJob(j Job, errp *error) {
	if p := recover(); p != nil {
		r.log.Printf("job %s panicked: %v\n%s", j.ID, p, debug.Stack())
		*errp = fmt.Errorf("%w: job %s: %v", ErrPanicked, j.ID, p)
	}
}

// safeRun runs j.Run, turning a panic into an error.
func (r *Runner) safeRun(ctx context.Context, j Job) (err error) {
	defer r.recoverJob(j, &err)
	if j.Run == nil {
		return fmt.Errorf("jobs: job %s has no Run func", j.ID)
	}
	return j.Run(ctx)
}

// logPanic logs a panic of the current goroutine and lets it end quietly.
// It must be deferred directly.
func (r *Runner) logPanic(where string) {
	if p := recover(); p != nil {
		r.log.Printf("jobs: panic in %s: %v\n%s", where, p, debug.Stack())
	}
}

// safeCall runs a finalizer without letting its panic escape.
func (r *Runner) safeCall(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// handleJobPanic logs a panic of job id.
func handleJobPanic(logger *log.Logger, id string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		logger.Printf("job %s panicked: %v", id, p)
	}
}

// RunInline runs j on the caller's goroutine, logging a panic of the job.
func (r *Runner) RunInline(ctx context.Context, j Job) error {
	defer func() {
		handleJobPanic(r.log, j.ID)
	}()
	return j.Run(ctx)
}

// bestEffort runs a cleanup step whose failure must not abort the batch.
func bestEffort(fn func()) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	fn()
}

// Cleanup runs the cleanup steps in order, each with bestEffort.
func Cleanup(steps ...func()) {
	for _, step := range steps {
		bestEffort(step)
	}
}

// Spec is one line of a job file: kind:id[:timeout].
type Spec struct {
	Kind    string
	ID      string
	Timeout time.Duration
}

// ParseSpec parses one line of a job file.
func ParseSpec(line string) (spec Spec, ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	fields := strings.Split(strings.TrimSpace(line), ":")
	spec.Kind, spec.ID = fields[0], fields[1]
	if len(fields) > 2 {
		secs, err := strconv.Atoi(fields[2])
		if err != nil {
			return Spec{}, false
		}
		spec.Timeout = time.Duration(secs) * time.Second
	}
	return spec, spec.Kind != "" && spec.ID != ""
}

// ParseSpecStrict parses one line of a job file and says what is wrong
// with a bad one.
func ParseSpecStrict(line string) (spec Spec, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: bad spec %q: %v", line, p)
		}
	}()
	kind, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
	if !ok || kind == "" {
		return Spec{}, fmt.Errorf("jobs: bad spec %q: missing kind", line)
	}
	id, timeout, _ := strings.Cut(rest, ":")
	spec = Spec{Kind: kind, ID: id}
	if timeout != "" {
		secs, err := strconv.Atoi(timeout)
		if err != nil {
			return Spec{}, fmt.Errorf("jobs: bad spec %q: %w", line, err)
		}
		spec.Timeout = time.Duration(secs) * time.Second
	}
	return spec, nil
}

// Protect calls fn and converts a panic into an error.
func Protect(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrPanicked, p)
		}
	}()
	return fn()
}

// mustNotPanic logs a panic with its stack and re-raises it, so that the
// crash report has the job context. It must be deferred directly.
func mustNotPanic(logger *log.Logger, what string) {
	if p := recover(); p != nil {
		logger.Printf("fatal panic in %s: %v\n%s", what, p, debug.Stack())
		panic(p)
	}
}

// RunCritical runs a job whose panic must crash the process, after logging.
func (r *Runner) RunCritical(ctx context.Context, j Job) error {
	defer mustNotPanic(r.log, "critical job "+j.ID)
	return j.Run(ctx)
}

// Go runs fn on a new goroutine that logs its panics instead of crashing.
func (r *Runner) Go(name string, fn func()) {
	go func() {
		defer r.logPanic(name)
		fn()
	}()
}

// Supervise runs fn on its own goroutine and restarts it whenever it exits
// (returning or panicking), until ctx is done.
func (r *Runner) Supervise(ctx context.Context, name string, fn func(context.Context)) {
	defer r.logPanic("supervisor " + name)
	for ctx.Err() == nil {
		exited := make(chan struct{})
		go func() {
			defer close(exited)
			defer r.logPanic(name)
			fn(ctx)
		}()
		select {
		case <-exited:
		case <-ctx.Done():
			<-exited
			return
		}
	}
}
