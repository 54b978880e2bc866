package queue

import (
	"log"
	"runtime/debug"
)

// Hook is called after every delivery attempt.
type Hook func(m Message, err error)

func (r *Runner) runHooks(m Message, err error) {
	for _, h := range r.Hooks {
		r.runHook(h, m, err)
	}
	if r.Notify != nil && callSafely(func() { r.Notify(m) }) {
		r.metrics.Inc("notify_panics")
	}
}

// callSafely runs fn and reports whether it panicked.
func callSafely(fn func()) (panicked bool) {
	fn()
	if p := recover(); p != nil { // HAZ recover-ineffective
		log.Printf("queue: callback panicked: %v", p)
		return true
	}
	return false
}

// runHook calls a user hook; a broken hook must not take delivery down.
func (r *Runner) runHook(h Hook, m Message, err error) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	h(m, err)
}

// recoverWorker is deferred at the top of every queue goroutine.
func (r *Runner) recoverWorker(what string) {
	if p := recover(); p != nil {
		r.metrics.Inc("queue_panics")
		r.log.Printf("queue: %s panicked: %v\n%s", what, p, debug.Stack())
	}
}
