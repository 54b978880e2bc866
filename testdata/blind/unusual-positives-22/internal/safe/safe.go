// Package safe turns panics in background work into errors.
package safe

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Panics counts recovered panics for the metrics endpoint.
var Panics atomic.Int64

// PanicError is a recovered panic.
type PanicError struct {
	Op    string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s: panic: %v", e.Op, e.Value)
}

// Recover stores a recovered panic in *errp. Use it as `defer safe.Recover(op, &err)`.
func Recover(op string, errp *error) {
	if r := recover(); r != nil {
		Panics.Add(1)
		*errp = &PanicError{Op: op, Value: r, Stack: debug.Stack()}
	}
}

// Guard runs fn and reports a panic as an error.
func Guard(op string, fn func() error) (err error) {
	defer func() {
		if e := capture(op); e != nil {
			err = e
		}
	}()
	return fn()
}

func capture(op string) error {
	r := recover() // HAZ recover-ineffective
	if r == nil {
		return nil
	}
	Panics.Add(1)
	return &PanicError{Op: op, Value: r, Stack: debug.Stack()}
}

// Call runs fn and reports a panic as an error.
func Call(op string, fn func() error) (err error) {
	defer Recover(op, &err)
	return fn()
}

// Go runs fn on its own goroutine, logging instead of crashing on a panic.
func Go(op string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				Panics.Add(1)
				log.Printf("%s: recovered panic: %v\n%s", op, r, debug.Stack())
			}
		}()
		fn()
	}()
}

// Once runs fn at most once; a panic in fn is logged and fn is not retried.
type Once struct {
	once sync.Once
	err  error
}

// Do runs fn the first time it is called and returns its error every time.
func (o *Once) Do(op string, fn func() error) error {
	defer func() {
		o.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				o.err = &PanicError{Op: op, Value: r}
			}
		})
	}()
	o.once.Do(func() { o.err = fn() })
	return o.err
}

// Quietly runs best-effort hooks; they must never take the caller down.
func Quietly(hooks ...func()) {
	for _, h := range hooks {
		func() {
			defer ignorePanic()
			h()
		}()
	}
}

func ignorePanic() {
	_ = recover() // HAZ recover-swallows-panic
}

// Logged runs best-effort hooks and logs the ones that panic.
func Logged(hooks ...func()) {
	for i, h := range hooks {
		func() {
			defer logPanic(i)
			h()
		}()
	}
}

func logPanic(i int) {
	if r := recover(); r != nil {
		Panics.Add(1)
		log.Printf("hook %d panicked: %v", i, r)
	}
}
