package fixture

import (
	"errors"
	"sync"
)

var errUnknownRun = errors.New("unknown run")

type run struct{ state int }

type engine struct {
	mu      sync.Mutex
	runs    map[string]*run
	onEvent func(*run)
}

// withRun calls fn on the run called id; it takes no lock itself.
func (e *engine) withRun(id string, fn func(*run) error) error {
	r, ok := e.runs[id]
	if !ok {
		return errUnknownRun
	}
	return fn(r)
}

// keep stores fn for later; it never calls it.
func (e *engine) keep(fn func(*run)) {
	e.onEvent = fn
}

func (e *engine) setState(r *run, s int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.state = s
	return nil
}

func (e *engine) resume(r *run) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.state = 1
	return nil
}

func (e *engine) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.runs)
}

// The literal handed to withRun locks e.mu, which cancel holds.
func (e *engine) cancel(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.withRun(id, func(r *run) error { return e.setState(r, 2) }) // want `e\.mu is locked on line \d+ and held until engine\.cancel returns .* locks it again \(engine\.cancel → engine\.withRun → fn \(the function literal on line \d+\) → engine\.setState`
}

// The same with a method value.
func (e *engine) resumeRun(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.withRun(id, e.resume) // want `e\.mu is locked on line \d+ and held until engine\.resumeRun returns .* locks it again \(engine\.resumeRun → engine\.withRun → engine\.resume`
}

// A method value held in a variable and called under the lock.
func (e *engine) hasRuns(want int) bool {
	current := e.count
	e.mu.Lock()
	defer e.mu.Unlock()
	return current() == want // want `e\.mu is locked on line \d+ and held until engine\.hasRuns returns .* current\(\) on line \d+ locks it again`
}

// A literal that does not lock, and a method value stored rather than called: no finding.
func (e *engine) touch(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.keep(func(r *run) { _ = e.setState(r, 3) })
	return e.withRun(id, func(r *run) error { r.state++; return nil })
}

// The method value is taken under the lock and called after it is released: no finding.
func (e *engine) countLater() func() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.count
}

type registry struct {
	mu      sync.Mutex
	entries map[string]int
	lookup  func(string) (int, bool)
	report  func(string)
}

// newRegistry points lookup at the registry's own locking get: a seam tests replace.
func newRegistry() *registry {
	r := &registry{entries: map[string]int{}}
	r.lookup = r.get
	return r
}

func (r *registry) get(name string) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.entries[name]
	return v, ok
}

// The field holds r.get, which locks r.mu again.
func (r *registry) bump(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, _ := r.lookup(name) // want `r\.mu is locked on line \d+ and held until registry\.bump returns .* r\.lookup\(name\) on line \d+ locks it again \(registry\.bump → registry\.get`
	r.entries[name] = v + 1
}

// A field that is given other values too (here a keyed literal elsewhere): not followed.
func (r *registry) note(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.report(name)
}

func quietRegistry() *registry {
	return &registry{entries: map[string]int{}, report: func(string) {}}
}
