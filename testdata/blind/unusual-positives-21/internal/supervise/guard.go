package supervise

import (
	"log"
	"sync/atomic"
)

// Guard protects request-scoped work; its handler is a struct field.
type Guard struct {
	log     *log.Logger
	onPanic func()
}

// NewGuard returns a guard logging to lg.
func NewGuard(lg *log.Logger) *Guard {
	g := &Guard{log: lg}
	g.onPanic = func() {
		logIt := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				g.log.Printf("guard: recovered: %v", r)
			}
		}
		logIt()
	}
	return g
}

// Run runs fn under the guard.
func (g *Guard) Run(fn func()) {
	defer g.onPanic()
	fn()
}

// Sink fans events out to observers. An observer is third-party code and
// must not stop the feed.
type Sink struct {
	observers []func(string)
	guard     func()
	failed    atomic.Int64
	emitted   atomic.Int64
}

// NewSink returns a sink whose guard is the absorb method value.
func NewSink(obs ...func(string)) *Sink {
	s := &Sink{observers: obs}
	s.guard = s.absorb
	return s
}

func (s *Sink) absorb() {
	if r := recover(); r != nil { // HAZ recover-swallows-panic
		// an observer failed: keep feeding the others
	}
}

func (s *Sink) notify(o func(string), ev string) {
	defer s.guard()
	o(ev)
	s.emitted.Add(1)
}

// Emit hands ev to every observer.
func (s *Sink) Emit(ev string) {
	for _, o := range s.observers {
		s.notify(o, ev)
	}
}

// CountingSink is a Sink whose guard counts and logs the failures it absorbs.
type CountingSink struct {
	Sink
	log *log.Logger
}

// NewCountingSink returns a sink that logs observer panics to lg.
func NewCountingSink(lg *log.Logger, obs ...func(string)) *CountingSink {
	c := &CountingSink{Sink: Sink{observers: obs}, log: lg}
	c.guard = c.count
	return c
}

func (c *CountingSink) count() {
	if r := recover(); r != nil {
		c.failed.Add(1)
		c.log.Printf("sink: observer panicked: %v", r)
	}
}
