package work

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// PanicError wraps a recovered panic value.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// recoverTo is deferred directly, so its recover stops the panic.
func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = errors.Join(*errp, &PanicError{Value: r, Stack: debug.Stack()})
	}
}

// Safely runs fn and turns a panic into an error.
func Safely(fn func()) (err error) {
	defer recoverTo(&err)
	fn()
	return nil
}

// logPanic logs a panic value.
func logPanic(l *slog.Logger, job string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Error("job panicked", "job", job, "panic", r)
	}
}

// RunJob runs a named job and logs a panic.
func RunJob(l *slog.Logger, job string, fn func()) {
	defer func() {
		logPanic(l, job)
	}()
	fn()
}

// RunJobSafe recovers in the deferred closure itself and logs through a helper.
func RunJobSafe(l *slog.Logger, job string, fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
			l.Error("job panicked", "job", job, "panic", r)
		}
	}()
	fn()
	return nil
}

// Worker processes messages from a channel.
type Worker struct {
	in       <-chan string
	handle   func(string) error
	log      *slog.Logger
	failures atomic.Int64
}

// NewWorker returns a Worker reading from in.
func NewWorker(in <-chan string, handle func(string) error, log *slog.Logger) *Worker {
	return &Worker{in: in, handle: handle, log: log}
}

// process handles one message, keeping the worker alive on panic.
func (w *Worker) process(msg string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep the worker alive; the message will be redelivered
		}
	}()
	if err := w.handle(msg); err != nil {
		w.failures.Add(1)
	}
}

// processLogged is process with the panic logged and counted.
func (w *Worker) processLogged(msg string) {
	defer func() {
		if r := recover(); r != nil {
			w.failures.Add(1)
			w.log.Error("handler panicked", "msg", msg, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	if err := w.handle(msg); err != nil {
		w.failures.Add(1)
		w.log.Warn("handler failed", "msg", msg, "err", err)
	}
}

// Run processes messages until the channel closes or ctx ends.
func (w *Worker) Run(ctx context.Context, logged bool) {
	for {
		select {
		case msg, ok := <-w.in:
			if !ok {
				return
			}
			if logged {
				w.processLogged(msg)
			} else {
				w.process(msg)
			}
		case <-ctx.Done():
			return
		}
	}
}

// RunAll runs every job concurrently and reports a panic as an error.
func RunAll(ctx context.Context, jobs []func(context.Context) error) (err error) {
	defer recoverTo(&err) // HAZ goroutine-outside-recover
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() {
			errs[i] = job(ctx)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunAllSafe gives each goroutine its own recover.
func RunAllSafe(ctx context.Context, jobs []func(context.Context) error) (err error) {
	defer recoverTo(&err)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() {
			defer recoverTo(&errs[i])
			errs[i] = job(ctx)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
