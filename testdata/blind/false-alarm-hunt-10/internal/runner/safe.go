// Package runner runs background jobs: a worker pool, an errgroup-style
// Group and panic-safety helpers.
package runner

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// PanicError carries a recovered panic value and the stack where it happened.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Recover turns a panic into a *PanicError stored in *errp. It must be
// deferred directly:
//
//	defer runner.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// Go runs fn on a new goroutine; a panic in fn is reported to onPanic
// instead of crashing the process.
func Go(fn func(), onPanic func(error)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				onPanic(&PanicError{Value: r, Stack: debug.Stack()})
			}
		}()
		fn()
	}()
}

// Call runs fn and converts a panic into an error.
func Call(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// MustNotPanic runs fn and re-panics with context if it panics, so the
// crash report names the operation.
func MustNotPanic(op string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("%s: %v", op, r))
		}
	}()
	fn()
}

// Background runs fn on its own goroutine and logs a panic instead of
// crashing the process.
func Background(logger *log.Logger, name string, fn func()) {
	go func() {
		defer logRecovered(logger, name, recover()) // HAZ recover-ineffective
		fn()
	}()
}

// logRecovered logs r if it is a recovered panic value.
func logRecovered(logger *log.Logger, name string, r any) {
	if r != nil {
		logger.Printf("%s: recovered panic: %v\n%s", name, r, debug.Stack())
	}
}

// RunAll runs every task concurrently and returns one error per task that
// panicked.
func RunAll(tasks []func()) []error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("task %d: %w", i, &PanicError{Value: r, Stack: debug.Stack()}))
					mu.Unlock()
				}
			}()
			task()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// RunEach is RunAll for tasks that return errors; a panic counts as an
// error of its task.
func RunEach(tasks []func() error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(tasks))
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Call(task)
		}()
	}
	wg.Wait()
	return errs
}
