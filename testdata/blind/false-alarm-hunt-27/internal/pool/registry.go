package pool

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Registry holds one pool per backend name and creates pools on demand.
type Registry struct {
	mu      sync.RWMutex
	pools   map[string]*Pool
	factory func(name string) (*Pool, error)
}

// NewRegistry returns a registry that builds missing pools with factory.
func NewRegistry(factory func(name string) (*Pool, error)) *Registry {
	return &Registry{pools: make(map[string]*Pool), factory: factory}
}

// Get returns the pool for name, creating it on first use.
func (r *Registry) Get(name string) (*Pool, error) {
	r.mu.RLock()
	p, ok := r.pools[name]
	r.mu.RUnlock()
	if ok {
		return p, nil
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.pools[name]; ok {
		return p, nil
	}
	p, err := r.factory(name)
	if err != nil {
		return nil, fmt.Errorf("pool: create %q: %w", name, err)
	}
	r.pools[name] = p
	return p, nil
}

// Lookup returns the pool for name if it exists; it never creates one.
func (r *Registry) Lookup(name string) (*Pool, bool) {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	p, ok := r.pools[name]
	return p, ok
}

// Names lists the registered backends in lexical order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.pools))
	for name := range r.pools {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Describe returns one line per backend with its pool counters.
func (r *Registry) Describe() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var lines []string
	for _, name := range r.Names() { // HAZ lock-reentry-under-defer
		s := r.pools[name].Stats()
		lines = append(lines, fmt.Sprintf("%s dials=%d reuses=%d waits=%d", name, s.Dials, s.Reuses, s.Waits))
	}
	return lines
}

// Summary returns one line per backend; it takes the read lock once and
// sorts the names itself.
func (r *Registry) Summary() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	lines := make([]string, 0, len(r.pools))
	for name, p := range r.pools {
		lines = append(lines, fmt.Sprintf("%s reuse=%.2f", name, p.Stats().ReuseRatio()))
	}
	sort.Strings(lines)
	return lines
}

// Each calls fn for every pool. fn runs without the registry lock held, so
// it may call back into the registry.
func (r *Registry) Each(fn func(name string, p *Pool)) {
	r.mu.RLock()
	snapshot := make(map[string]*Pool, len(r.pools))
	for name, p := range r.pools {
		snapshot[name] = p
	}
	r.mu.RUnlock()
	for name, p := range snapshot {
		fn(name, p)
	}
}

// Remove unregisters name and closes its pool.
func (r *Registry) Remove(name string) error {
	r.mu.Lock()
	p, ok := r.pools[name]
	delete(r.pools, name)
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("pool: no backend %q", name)
	}
	return p.Close()
}

// Retire closes the named pools, holding the registry lock so that no pool
// with the same name can be created while one is being torn down.
func (r *Registry) Retire(names ...string) error {
	var errs []error
	for _, name := range names {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		p, ok := r.pools[name]
		if !ok {
			continue
		}
		delete(r.pools, name)
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// CloseAll unregisters and closes every pool.
func (r *Registry) CloseAll() error {
	r.mu.Lock()
	pools := r.pools
	r.pools = make(map[string]*Pool)
	r.mu.Unlock()

	var errs []error
	for name, p := range pools {
		if err := p.Close(); err != nil && !errors.Is(err, ErrClosed) {
			errs = append(errs, fmt.Errorf("pool %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
