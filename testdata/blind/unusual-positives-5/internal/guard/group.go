package guard

import (
	"log"
	"sync"
)

// Group runs named goroutines and logs their panics.
type Group struct {
	wg         sync.WaitGroup
	log        *log.Logger
	once       sync.Once
	firstPanic any
}

// NewGroup returns a group logging to l.
func NewGroup(l *log.Logger) *Group { return &Group{log: l} }

// logPanic logs a panic of the goroutine called name.
func (g *Group) logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		g.log.Printf("goroutine %s panicked: %v", name, r)
	}
}

// report is deferred directly by the goroutines it protects.
func (g *Group) report(name string) {
	if r := recover(); r != nil {
		g.log.Printf("goroutine %s panicked: %v", name, r)
		g.once.Do(func() { g.firstPanic = r })
	}
}

// note logs a recovered value, if any.
func (g *Group) note(name string, r any) {
	if r != nil {
		g.log.Printf("%s: recovered %v", name, r)
	}
}

// Go runs fn in a goroutine tracked by the group.
func (g *Group) Go(name string, fn func()) {
	g.wg.Add(1)
	go func() {
		defer func() {
			g.logPanic(name)
			g.wg.Done()
		}()
		fn()
	}()
}

// GoSafe runs fn in a goroutine whose panic is recovered and logged.
func (g *Group) GoSafe(name string, fn func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer g.report(name)
		fn()
	}()
}

// Supervise runs fn and logs a panic instead of crashing.
func (g *Group) Supervise(name string, fn func() error) error {
	defer g.note(name, recover()) // HAZ recover-ineffective
	return fn()
}

// SuperviseDirect logs a panic of fn; the deferred closure calls recover
// itself and hands the value to note.
func (g *Group) SuperviseDirect(name string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			g.note(name, r)
			err = &PanicError{Value: r}
		}
	}()
	return fn()
}

// RunOnce runs fn and remembers the first panic seen by the group.
func (g *Group) RunOnce(fn func()) {
	defer func() {
		g.once.Do(func() {
			g.firstPanic = recover() // HAZ recover-ineffective
		})
	}()
	fn()
}

// Supervisor runs tasks with a replaceable panic handler. The handler is a
// function value that is itself deferred, so its recover is effective.
type Supervisor struct {
	handle func()
	count  int
}

// NewSupervisor returns a supervisor that logs panics to l and counts them.
func NewSupervisor(l func(string, ...any)) *Supervisor {
	s := &Supervisor{}
	s.handle = func() {
		if r := recover(); r != nil {
			s.count++
			l("supervisor: recovered: %v", r)
		}
	}
	return s
}

// Do runs fn under the supervisor's handler.
func (s *Supervisor) Do(fn func()) {
	defer s.handle()
	fn()
}

// FirstPanic returns the first panic value recorded by report or RunOnce.
func (g *Group) FirstPanic() any {
	g.Wait()
	return g.firstPanic
}

// Wait waits for every goroutine of the group.
func (g *Group) Wait() { g.wg.Wait() }
