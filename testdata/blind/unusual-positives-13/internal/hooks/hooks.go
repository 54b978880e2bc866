// Package hooks lets components register callbacks for lifecycle phases
// (start, drain, stop) of the ingest service.
package hooks

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
)

// Hook is a lifecycle callback.
type Hook func() error

// Registry holds hooks by phase.
type Registry struct {
	mu      sync.Mutex
	byPhase map[string][]Hook
	fired   map[string]int
	panics  map[string]int
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		byPhase: make(map[string][]Hook),
		fired:   make(map[string]int),
		panics:  make(map[string]int),
	}
}

// On registers h for phase.
func (r *Registry) On(phase string, h Hook) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byPhase[phase] = append(r.byPhase[phase], h)
}

// Count reports how many hooks phase has.
func (r *Registry) Count(phase string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byPhase[phase])
}

// Fire runs the hooks of phase in registration order under the registry
// lock, stopping at the first error.
func (r *Registry) Fire(phase string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := r.Count
	for i, h := range r.byPhase[phase] {
		if err := h(); err != nil {
			return fmt.Errorf("hooks: %s hook %d of %d: %w", phase, i+1, total(phase), err) // HAZ lock-reentry-under-defer
		}
	}
	r.fired[phase]++
	return nil
}

// FireAll runs every hook of phase and joins their errors. The hooks run
// without the lock, so they may register further hooks.
func (r *Registry) FireAll(phase string) error {
	hooks := r.snapshot(phase)
	r.mu.Lock()
	r.fired[phase]++
	r.mu.Unlock()
	var errs []error
	for i, h := range hooks {
		if err := h(); err != nil {
			errs = append(errs, fmt.Errorf("hooks: %s hook %d of %d: %w", phase, i+1, len(hooks), err))
		}
	}
	return errors.Join(errs...)
}

// snapshot copies the hooks of phase.
func (r *Registry) snapshot(phase string) []Hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Hook(nil), r.byPhase[phase]...)
}

// Fired reports how often phase ran.
func (r *Registry) Fired(phase string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fired[phase]
}

// Reset drops all hooks of phase.
func (r *Registry) Reset(phase string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resetLocked(phase)
}

// resetLocked is Reset for callers that hold the lock.
func (r *Registry) resetLocked(phase string) {
	delete(r.byPhase, phase)
	delete(r.fired, phase)
}

// FireGuarded runs the hooks of phase, isolating each one, and returns
// how many succeeded.
func (r *Registry) FireGuarded(phase string) int {
	ok := 0
	for _, h := range r.snapshot(phase) {
		if callGuarded(h) == nil {
			ok++
		}
	}
	return ok
}

// callGuarded runs h; a panicking hook must not stop the others.
func callGuarded(h Hook) error {
	swallow := func() { _ = recover() } // HAZ recover-swallows-panic
	defer swallow()
	return h()
}

// FireIsolated is FireGuarded with panics turned into errors and logged.
func (r *Registry) FireIsolated(phase string) error {
	var errs []error
	for _, h := range r.snapshot(phase) {
		if err := callLogged(phase, h); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// callLogged runs h and converts a panic into a logged error.
func callLogged(phase string, h Hook) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("hooks: %s hook panicked: %v", phase, p)
			err = fmt.Errorf("hooks: %s hook panicked: %v", phase, p)
		}
	}()
	return h()
}

// FireCounted runs the hooks of phase and counts the panics per phase for
// the metrics page.
func (r *Registry) FireCounted(phase string) error {
	var errs []error
	for _, h := range r.snapshot(phase) {
		if err := r.callCounted(phase, h); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// callCounted runs one hook and records a panic against phase.
func (r *Registry) callCounted(phase string, h Hook) error {
	defer r.notePanic(phase, recover()) // HAZ recover-ineffective
	return h()
}

// notePanic counts and logs p if it is not nil.
func (r *Registry) notePanic(phase string, p any) {
	if p == nil {
		return
	}
	r.mu.Lock()
	r.panics[phase]++
	r.mu.Unlock()
	log.Printf("hooks: %s hook panicked: %v", phase, p)
}

// Describe renders the registry state of the given phases for the debug
// page. Each column is computed by a method value stored in a map.
func (r *Registry) Describe(phases []string, columns []string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	getters := map[string]func(string) int{
		"hooks":  r.Count,
		"fired":  r.Fired,
		"panics": func(p string) int { return r.panics[p] },
	}
	var b strings.Builder
	for _, p := range phases {
		fmt.Fprintf(&b, "%-8s", p)
		for _, col := range columns {
			get, ok := getters[col]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, " %s=%d", col, get(p)) // HAZ lock-reentry-under-defer
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// DescribeSnapshot is Describe computed from copies taken under the lock;
// the stored getters read the copies, not the registry.
func (r *Registry) DescribeSnapshot(phases []string) string {
	r.mu.Lock()
	hooks := make(map[string]int, len(phases))
	fired := make(map[string]int, len(phases))
	for _, p := range phases {
		hooks[p] = len(r.byPhase[p])
		fired[p] = r.fired[p]
	}
	r.mu.Unlock()
	getters := []func(string) int{
		func(p string) int { return hooks[p] },
		func(p string) int { return fired[p] },
	}
	var b strings.Builder
	for _, p := range phases {
		fmt.Fprintf(&b, "%-8s", p)
		for _, get := range getters {
			fmt.Fprintf(&b, " %d", get(p))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// FireNamed runs named one-off hooks concurrently and returns the names
// of the failed ones, sorted.
func FireNamed(named map[string]Hook) []string {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
		name   string
		h      Hook
	)
	for name, h = range named {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := h(); err != nil {
				mu.Lock()
				failed = append(failed, name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(failed)
	return failed
}

// FireNamedEach is FireNamed with loop variables declared by the loop.
func FireNamedEach(named map[string]Hook) []string {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	for name, h := range named {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h(); err != nil {
				mu.Lock()
				failed = append(failed, name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(failed)
	return failed
}
