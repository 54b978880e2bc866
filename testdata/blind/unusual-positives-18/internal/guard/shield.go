package guard

import (
	"fmt"
	"log"
	"sync/atomic"
)

// Shield is embedded by components whose callbacks may panic. Its methods
// that call recover must be deferred directly by the method that runs the
// callback, e.g. `defer p.Catch(&err)`.
type Shield struct {
	Name   string
	Logger *log.Logger
	panics atomic.Int64
}

// Catch turns a panic into an error stored in *errp.
func (s *Shield) Catch(errp *error) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.Printf("%s: recovered panic: %v", s.Name, r)
		if errp != nil {
			*errp = fmt.Errorf("%s: panic: %v", s.Name, r)
		}
	}
}

// Absorb stops a panic raised by a best-effort notification callback so
// that one broken plugin cannot take the agent down.
func (s *Shield) Absorb() {
	_ = recover() // HAZ recover-swallows-panic
}

// Note records a panic into *errp. It is shared by the deferred cleanup
// closures of the embedding types.
func (s *Shield) Note(errp *error) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.panics.Add(1)
		*errp = fmt.Errorf("%s: panic: %v", s.Name, r)
	}
}

// Panics reports how many panics Catch has stopped.
func (s *Shield) Panics() int64 {
	return s.panics.Load()
}

// Printf logs through the shield's logger, or the standard one.
func (s *Shield) Printf(format string, args ...any) {
	if s.Logger != nil {
		s.Logger.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
