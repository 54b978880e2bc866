// Package safe turns panics into errors at goroutine and request
// boundaries.
package safe

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"runtime/debug"
	"sync"
)

// PanicError wraps a recovered panic value with its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap exposes a panicked error value.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Recover stores a recovered panic into *errp. Use as `defer safe.Recover(&err)`.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = errors.Join(*errp, &PanicError{Value: r, Stack: debug.Stack()})
	}
}

// LogPanic logs and re-panics. Use as `defer safe.LogPanic("name")`.
func LogPanic(name string) {
	if r := recover(); r != nil {
		slog.Error("panic", "where", name, "value", r, "stack", string(debug.Stack()))
		panic(r)
	}
}

// reportPanic logs a recovered panic for the named task.
func reportPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		slog.Error("task panicked", "task", name, "value", r)
	}
}

// Call runs fn and converts a panic into an error.
func Call(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// CallCtx runs fn with ctx and converts a panic into an error.
func CallCtx(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn(ctx)
}

// Task runs fn and logs a panic instead of crashing.
func Task(name string, fn func()) {
	defer func() { reportPanic(name) }()
	fn()
}

// BestEffort runs an optional hook; a failing hook must not take the
// caller down.
func BestEffort(hook func()) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	hook()
}

// Must runs fn and reports a panic as ok=false together with the value.
func Must(fn func()) (ok bool, val any) {
	defer func() {
		if r := recover(); r != nil {
			ok, val = false, r
		}
	}()
	fn()
	return true, nil
}

// Go runs fn in a new goroutine that reports a panic to onPanic.
func Go(wg *sync.WaitGroup, onPanic func(error), fn func()) {
	wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				onPanic(&PanicError{Value: r, Stack: debug.Stack()})
			}
		}()
		fn()
	})
}

// Group runs functions concurrently and joins their errors, panics
// included; every goroutine has its own recover.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go starts fn.
func (g *Group) Go(fn func() error) {
	g.wg.Go(func() {
		err := Call(fn)
		if err != nil {
			g.mu.Lock()
			g.errs = append(g.errs, err)
			g.mu.Unlock()
		}
	})
}

// Wait waits for all functions and returns their joined errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}

// RunAll runs fns concurrently; a panic in the caller's own code is
// converted, and each goroutine recovers on its own via Group.
func RunAll(fns ...func() error) (err error) {
	defer Recover(&err)
	var g Group
	for _, fn := range fns {
		g.Go(fn)
	}
	return g.Wait()
}

// FanOut runs fn for every item concurrently and converts panics.
func FanOut[T any](items []T, fn func(T)) (err error) {
	defer Recover(&err)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { fn(it) }) // HAZ goroutine-outside-recover
	}
	wg.Wait()
	return nil
}

// Shielded runs fn and logs the recovered value with the standard logger.
func Shielded(fn func()) {
	defer log.Printf("recovered: %v", recover()) // HAZ recover-ineffective
	fn()
}

// Guard runs fn, logging and re-panicking with context.
func Guard(name string, fn func()) {
	defer LogPanic(name)
	fn()
}
