package worker

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
)

// PanicError is returned when an activity panics.
type PanicError struct {
	Activity string
	Value    any
	Stack    []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("activity %s panicked: %v", e.Activity, e.Value)
}

// safeExecute runs the task's activity and converts a panic into an error,
// so that one bad activity cannot crash the worker process.
func (w *Worker) safeExecute(ctx context.Context, t *Task) (out []byte, err error) {
	act, ok := w.activities[t.Activity]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownActivity, t.Activity)
	}
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Activity: t.Activity, Value: r, Stack: debug.Stack()}
		}
	}()
	return act(ctx, t.Input)
}

// capturePanic turns a panic of the calling goroutine into *errp. It must be
// deferred directly: defer capturePanic(&err, name).
func capturePanic(errp *error, what string) {
	if r := recover(); r != nil {
		*errp = &PanicError{Activity: what, Value: r, Stack: debug.Stack()}
	}
}

// RunHook runs a lifecycle hook supplied by the embedding application.
func (w *Worker) RunHook(name string, hook func() error) (err error) {
	defer capturePanic(&err, "hook "+name)
	return hook()
}

// reportPanic logs a recovered panic together with the task it hit.
func reportPanic(logger *log.Logger, taskID string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("worker: task %s panicked: %v\n%s", taskID, r, debug.Stack())
	}
}

// RunLocal executes an activity in-process, without a backend. The CLI's
// "run" command and integration tests use it.
func (w *Worker) RunLocal(ctx context.Context, name string, input []byte) ([]byte, error) {
	act, ok := w.activities[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownActivity, name)
	}
	w.inflight.Add(1)
	defer func() {
		reportPanic(w.log, "local:"+name)
		w.inflight.Add(-1)
	}()
	return act(ctx, input)
}

// notifyListeners passes r to every registered listener. Listeners are
// third-party code.
func (w *Worker) notifyListeners(r Result) {
	for _, l := range w.listeners {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			l(r)
		}()
	}
}
