// Package safe contains panic containment helpers shared by the daemons.
package safe

import (
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// PanicError wraps a recovered panic value and its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string {
	return fmt.Sprintf("panic: %v", p.Value)
}

// ErrAborted is returned by Call when fn panics with http.ErrAbortHandler-like
// sentinel values that must keep propagating.
var ErrAborted = errors.New("aborted")

// Recover converts a panic into an error stored at *errp. It must be deferred
// directly: `defer safe.Recover(&err)`.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// LogPanic logs a panic and lets the goroutine end. It must be deferred
// directly: `defer safe.LogPanic("name")`.
func LogPanic(name string) {
	if r := recover(); r != nil {
		log.Printf("goroutine %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// Call runs fn and converts a panic into an error.
func Call(fn func() error) (err error) {
	defer Recover(&err) // ok: Recover calls recover() directly and is deferred directly
	return fn()
}

// CallInline is Call with the recover written inline.
func CallInline(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r) // ok: assigns the named result
		}
	}()
	return fn()
}

// Go starts fn on its own goroutine with its own recover.
func Go(name string, fn func()) {
	go func() {
		defer LogPanic(name) // ok: the goroutine protects itself
		fn()
	}()
}

// GoErr starts fn and delivers its error, or its panic as an error, on a
// channel buffered for the single result.
func GoErr(fn func() error) <-chan error {
	out := make(chan error, 1)
	go func() {
		out <- Call(fn) // ok: buffered for exactly this one send; Call recovers
	}()
	return out
}

// Must re-panics with extra context after cleanup has run.
func Must(name string, cleanup func(), fn func()) {
	defer func() {
		if r := recover(); r != nil {
			cleanup()
			panic(fmt.Sprintf("%s: %v", name, r)) // ok: re-panics
		}
	}()
	fn()
}

// Filter recovers only the sentinel it knows about and re-panics otherwise.
func Filter(fn func()) (aborted bool) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == ErrAborted {
			aborted = true
			return
		}
		panic(r) // ok: not ours
	}()
	fn()
	return false
}

// Group runs functions on goroutines, each with its own recover, and waits.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go starts fn in the group.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := Call(fn); err != nil {
			g.mu.Lock()
			g.errs = append(g.errs, err)
			g.mu.Unlock()
		}
	}()
}

// Wait waits for all functions and joins their errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}

// Supervise runs fn under a recover and restarts it on goroutines that also
// recover; the supervisor itself only recovers its own bookkeeping.
func Supervise(name string, restarts int, fn func()) {
	defer LogPanic(name + "/supervisor")
	for i := 0; i <= restarts; i++ {
		done := make(chan struct{})
		go func() {
			defer close(done)                             // ok: the goroutine owns done and is its only writer
			defer LogPanic(fmt.Sprintf("%s#%d", name, i)) // ok: own recover in the goroutine
			fn()
		}()
		<-done
	}
}

// logAndContinue is the shared recover body for worker loops.
func logAndContinue(where string) {
	if r := recover(); r != nil {
		log.Printf("%s: recovered %v", where, r)
	}
}

// RunAll runs each job, containing panics per job.
func RunAll(jobs []func()) {
	for i, job := range jobs {
		func() {
			defer logAndContinue(fmt.Sprint("job ", i)) // ok: helper deferred directly, in a func literal per item
			job()
		}()
	}
}

// handleCrash is used by the legacy callback API.
func handleCrash(tag string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("callback %s crashed: %v", tag, r)
	}
}

// RunCallback runs a plugin callback, wrapping the crash handler in a closure
// so it can also bump a metric.
func RunCallback(tag string, counter *int, cb func()) {
	defer func() {
		*counter++
		handleCrash(tag)
	}()
	cb()
}

// Quiet runs fn and ignores any panic from best-effort hooks.
func Quiet(fn func()) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn()
}

// QuietLogged is the variant used for hooks that may legitimately panic.
func QuietLogged(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("hook panicked, ignoring: %v", r) // ok: logged
		}
	}()
	fn()
}
