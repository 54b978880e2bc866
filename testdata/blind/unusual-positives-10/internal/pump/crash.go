// Package pump moves messages, file changes and batches between the agent's
// goroutines. Most loops here are started with a method value (go p.loop).
package pump

import (
	"fmt"
	"log"
	"runtime/debug"
)

// noteCrash logs a panic of the goroutine named where.
func noteCrash(where string) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		log.Printf("pump: %s crashed: %v\n%s", where, v, debug.Stack())
	}
}

// recoverTo turns a panic into an error; use as defer recoverTo(&err).
func recoverTo(err *error) {
	if v := recover(); v != nil {
		*err = fmt.Errorf("pump: panic: %v", v)
	}
}
