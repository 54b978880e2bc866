package nilfunc

import (
	"context"
	"errors"
	"time"
)

type hookRegistry struct {
	before map[string]func()
	after  map[string]func()
}

// hooksFor returns both hooks of a name; either may be missing.
func (r *hookRegistry) hooksFor(name string) (before, after func()) {
	return r.before[name], r.after[name]
}

// The before hook is tested, the after hook is deferred as it comes.
func (r *hookRegistry) run(name string, fn func() error) error {
	before, after := r.hooksFor(name)
	if before != nil {
		before()
	}
	defer after() // want `after is nil when the map lookup r\.after\[name\] that r\.hooksFor returns on line \d+ misses`
	return fn()
}

// startStopwatch returns nil with an error: its caller checks the error first.
func startStopwatch(d time.Duration) (func(), error) {
	if d <= 0 {
		return nil, errors.New("bad duration")
	}
	t := time.NewTimer(d)
	return func() { t.Stop() }, nil
}

func stopwatched(d time.Duration) error {
	stop, err := startStopwatch(d)
	if err != nil {
		return err
	}
	defer stop()
	return nil
}

type taskError struct{ msg string }

// taskContext fails with its own error type: nil funcs come with a non-nil *taskError.
func taskContext(timeout string) (context.Context, context.CancelFunc, *taskError) {
	if timeout == "" {
		return context.Background(), func() {}, nil
	}
	d, err := time.ParseDuration(timeout)
	if err != nil {
		return nil, nil, &taskError{msg: "bad timeout"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return ctx, cancel, nil
}

func runTask(timeout string) *taskError {
	ctx, cancel, terr := taskContext(timeout)
	if terr != nil {
		return terr
	}
	defer cancel()
	_ = ctx
	return nil
}

// startTrace returns nil when tracing is off.
func startTrace(path string) func() {
	if path == "" {
		return nil
	}
	return func() {}
}

// startSpan always returns a func.
func startSpan(name string) func() {
	if name == "" {
		return func() {}
	}
	return func() { _ = name }
}

func traced(path string, job func() error) error {
	defer startTrace(path)() // want `defer startTrace\(path\)\(\) defers the function startTrace returns, which is nil when startTrace takes its .return nil. on line \d+`
	return job()
}

func spanned(name string, job func() error) error {
	defer startSpan(name)()
	return job()
}
