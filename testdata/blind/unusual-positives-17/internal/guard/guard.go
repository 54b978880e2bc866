// Package guard turns panics in plug-in code (decoders, user hooks) into
// errors and log lines.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Guard protects calls producing a T, substituting fallback on panic.
type Guard[T any] struct {
	name     string
	logger   *log.Logger
	fallback T
	panics   atomic.Int64
}

// New returns a guard that logs through logger.
func New[T any](name string, logger *log.Logger, fallback T) *Guard[T] {
	return &Guard[T]{name: name, logger: logger, fallback: fallback}
}

// Panics reports how many panics the guard has caught.
func (g *Guard[T]) Panics() int64 {
	return g.panics.Load()
}

// recoverInto converts a panic into the fallback value and an error. It is
// meant to be deferred directly.
func (g *Guard[T]) recoverInto(v *T, errp *error) {
	if r := recover(); r != nil {
		g.panics.Add(1)
		g.logger.Printf("%s: recovered: %v\n%s", g.name, r, debug.Stack())
		*v = g.fallback
		*errp = fmt.Errorf("%s: panic: %v", g.name, r)
	}
}

// Run calls fn, converting a panic into an error.
func (g *Guard[T]) Run(fn func() (T, error)) (v T, err error) {
	defer g.recoverInto(&v, &err)
	return fn()
}

// Call is Run for functions that cannot fail. The recovery method is bound
// to a variable first and that method value is what gets deferred.
func (g *Guard[T]) Call(fn func() T) (v T, err error) {
	rec := g.recoverInto
	defer rec(&v, &err)
	return fn(), nil
}

// report logs a panic in a background task.
func (g *Guard[T]) report(what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		g.panics.Add(1)
		g.logger.Printf("%s: %s panicked: %v", g.name, what, r)
	}
}

// catch is deferred by background goroutines.
func (g *Guard[T]) catch() {
	g.report("background task")
}

// Go runs fn in a goroutine protected by the guard.
func (g *Guard[T]) Go(fn func()) {
	go func() {
		defer g.catch()
		fn()
	}()
}

// logPanic is deferred directly by GoLogged; it calls recover itself.
func (g *Guard[T]) logPanic() {
	if r := recover(); r != nil {
		g.panics.Add(1)
		g.logger.Printf("%s: background task panicked: %v\n%s", g.name, r, debug.Stack())
	}
}

// GoLogged runs fn in a goroutine whose panics are logged.
func (g *Guard[T]) GoLogged(fn func()) {
	go func() {
		defer g.logPanic()
		fn()
	}()
}

// All runs fns concurrently and returns their results, converting a panic
// into an error.
func (g *Guard[T]) All(fns ...func() T) (out []T, err error) {
	var fallback T
	defer g.recoverInto(&fallback, &err) // HAZ goroutine-outside-recover
	out = make([]T, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = fn()
		}()
	}
	wg.Wait()
	return out, nil
}

// AllGuarded runs fns concurrently; each goroutine goes through Run, which
// defers its own recover, and the first error is returned.
func (g *Guard[T]) AllGuarded(fns ...func() T) ([]T, error) {
	out := make([]T, len(fns))
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = g.Run(func() (T, error) { return fn(), nil })
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
