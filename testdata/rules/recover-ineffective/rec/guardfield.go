package rec

import (
	"io"
	"log"
)

type hookGuard struct {
	onPanic func()
	onDone  func()
}

// The panic hook sits in a field of a local guard and is called from a deferred literal: one call
// away from the deferred function, so its recover returns nil.
func serveConn(c io.ReadWriteCloser, loop func(io.ReadWriter)) {
	g := hookGuard{
		onPanic: func() {
			if r := recover(); r != nil { // want `recover\(\) in the function literal on line \d+ returns nil: the literal is called inside the function literal on line \d+, which is deferred`
				log.Printf("handler panic: %v", r)
			}
		},
		onDone: func() { _ = c.Close() },
	}
	defer func() {
		g.onPanic()
		g.onDone()
	}()
	loop(c)
}

// Deferred through the field itself: the literal is the deferred function.
func serveConnGuarded(c io.ReadWriteCloser, loop func(io.ReadWriter)) {
	g := hookGuard{
		onPanic: func() {
			if r := recover(); r != nil {
				log.Printf("handler panic: %v", r)
			}
		},
		onDone: func() { _ = c.Close() },
	}
	defer g.onDone()
	defer g.onPanic()
	loop(c)
}
