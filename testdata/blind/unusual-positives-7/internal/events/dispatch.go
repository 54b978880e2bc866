package events

import (
	"fmt"
	"log"
)

// Dispatcher routes events to per-kind handlers.
type Dispatcher struct {
	handlers  map[string]func(Event) error
	finishers map[string]func() // optional completion callbacks, per kind
	log       *log.Logger
}

// NewDispatcher returns a dispatcher with no handlers.
func NewDispatcher(l *log.Logger) *Dispatcher {
	return &Dispatcher{
		handlers:  make(map[string]func(Event) error),
		finishers: make(map[string]func()),
		log:       l,
	}
}

// On sets the handler for kind.
func (d *Dispatcher) On(kind string, h func(Event) error) { d.handlers[kind] = h }

// OnFinish sets a callback run after every event of kind; nil is ignored.
func (d *Dispatcher) OnFinish(kind string, fn func()) {
	if fn == nil {
		return
	}
	d.finishers[kind] = fn
}

// Dispatch hands ev to its handler and then runs the kind's finisher.
func (d *Dispatcher) Dispatch(ev Event) error {
	kind := kindOf(ev)
	finish := d.finishers[kind]
	defer finish() // HAZ defer-nil-func
	h, ok := d.handlers[kind]
	if !ok {
		return fmt.Errorf("no handler for %s events", kind)
	}
	return h(ev)
}

// dispatchOne defers the finisher only when the kind has one.
func (d *Dispatcher) dispatchOne(ev Event) error {
	kind := kindOf(ev)
	if finish, ok := d.finishers[kind]; ok {
		defer finish()
	}
	h, ok := d.handlers[kind]
	if !ok {
		return fmt.Errorf("no handler for %s events", kind)
	}
	return h(ev)
}

// DispatchAll dispatches a batch in order and stops at the first error.
func (d *Dispatcher) DispatchAll(evs []Event) error {
	for i, ev := range evs {
		if err := d.dispatchOne(ev); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

// Serve dispatches events from ch, one goroutine per event so that a slow
// handler does not stall the stream.
func (d *Dispatcher) Serve(ch <-chan Event) {
	for ev := range ch {
		go func() {
			defer recover() // HAZ recover-ineffective
			if err := d.dispatchOne(ev); err != nil {
				d.log.Printf("dispatch %s: %v", kindOf(ev), err)
			}
		}()
	}
}

// ServeGuarded is Serve where each goroutine defers a closure that calls
// recover directly and logs what it caught.
func (d *Dispatcher) ServeGuarded(ch <-chan Event) {
	for ev := range ch {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					d.log.Printf("dispatch %s: panic: %v", kindOf(ev), r)
				}
			}()
			if err := d.dispatchOne(ev); err != nil {
				d.log.Printf("dispatch %s: %v", kindOf(ev), err)
			}
		}()
	}
}
