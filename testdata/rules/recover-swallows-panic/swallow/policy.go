package swallow

import (
	"errors"
	"log"
	"sync/atomic"
)

var errClosed = errors.New("closed")

type router struct{ ignoreErrors atomic.Bool }

// The literal handles the recovered value on one branch and drops it on the other, under a flag
// that says to: a choice, not a forgotten panic.
func (r *router) handle(h func()) {
	defer func() {
		if r.ignoreErrors.Load() {
			_ = recover()
			return
		}
		if e := recover(); e != nil {
			if err, ok := e.(error); ok && errors.Is(err, errClosed) {
				return
			}
			log.Printf("handler panic: %v", e)
		}
	}()
	h()
}

// Both recovers drop the value: reported, each.
func (r *router) handleQuietly(h func()) {
	defer func() {
		if r.ignoreErrors.Load() {
			_ = recover() // want `discards the value of recover\(\)`
			return
		}
		recover() // want `discards the value of recover\(\)`
	}()
	h()
}
