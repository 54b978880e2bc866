package safe

import (
	"fmt"
	"log"
	"sync/atomic"
)

// Guard counts the panics of one subsystem and turns them into errors.
type Guard struct {
	name   string
	panics atomic.Int64
	log    *log.Logger
}

// NewGuard returns a guard for the named subsystem.
func NewGuard(name string, l *log.Logger) *Guard {
	return &Guard{name: name, log: l}
}

// Panics reports how many panics the guard has caught.
func (g *Guard) Panics() int64 { return g.panics.Load() }

// Run calls fn and classifies a panic into an error.
func (g *Guard) Run(fn func() error) (err error) {
	defer func() {
		classify := func() error {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Errorf("%s: panic: %v", g.name, r)
			}
			return nil
		}
		if perr := classify(); perr != nil {
			g.panics.Add(1)
			g.log.Print(perr)
			err = perr
		}
	}()
	return fn()
}

// recoverInto is deferred directly by its callers, so recover works here.
func (g *Guard) recoverInto(errp *error) {
	if r := recover(); r != nil {
		g.panics.Add(1)
		*errp = fmt.Errorf("%s: panic: %v", g.name, r)
		g.log.Print(*errp)
	}
}

// Call calls fn and turns a panic into an error.
func (g *Guard) Call(fn func() error) (err error) {
	defer g.recoverInto(&err)
	return fn()
}

// CallQuiet is Call through a method value: the deferred function is still
// recoverInto itself, so its recover stops the panic.
func (g *Guard) CallQuiet(fn func() error) (err error) {
	rec := g.recoverInto
	defer rec(&err)
	return fn()
}
