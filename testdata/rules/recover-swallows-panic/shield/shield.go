// Package shield holds the recovering helpers that other packages defer.
package shield

import (
	"fmt"
	"log"
)

// Shield names the component whose panics it stops.
type Shield struct{ Name string }

// Absorb stops a panic of a best-effort callback; the plugin package defers it.
func (s *Shield) Absorb() {
	_ = recover() // want `the deferred function Shield\.Absorb discards the value of recover\(\)`
}

// Catch turns a panic into an error; the plugin package defers it too.
func (s *Shield) Catch(errp *error) {
	if r := recover(); r != nil {
		log.Printf("%s: recovered: %v", s.Name, r)
		*errp = fmt.Errorf("%s: panic: %v", s.Name, r)
	}
}
