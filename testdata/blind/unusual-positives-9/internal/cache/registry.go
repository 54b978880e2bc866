package cache

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// MaxTenants bounds the registry.
const MaxTenants = 1024

var errFull = errors.New("cache: tenant registry is full")

// Tenant is a namespace of the cache with its own quota.
type Tenant struct {
	Name  string
	ID    int
	Quota int64
}

// Registry maps tenant names to tenants. Use NewRegistry.
type Registry struct {
	sync.RWMutex
	byName map[string]*Tenant
	next   int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: make(map[string]*Tenant)}
}

// Lookup returns the tenant called name.
func (r *Registry) Lookup(name string) (*Tenant, bool) {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	t, ok := r.byName[name]
	return t, ok
}

// lookupLocked is Lookup for callers that already hold the lock.
func (r *Registry) lookupLocked(name string) *Tenant {
	return r.byName[name]
}

// Count returns the number of tenants.
func (r *Registry) Count() int {
	r.RLock()
	defer r.RUnlock()
	return len(r.byName)
}

// validate checks that name is usable for a new tenant.
func (r *Registry) validate(name string) error {
	if name == "" || strings.ContainsAny(name, "/ \t") {
		return fmt.Errorf("cache: invalid tenant name %q", name)
	}
	if r.Count() >= MaxTenants {
		return errFull
	}
	return nil
}

// Register adds a tenant; the name must be new.
func (r *Registry) Register(name string, quota int64) (*Tenant, error) {
	r.Lock()
	defer r.Unlock()
	if r.lookupLocked(name) != nil {
		return nil, fmt.Errorf("cache: tenant %q exists", name)
	}
	r.next++
	t := &Tenant{Name: name, ID: r.next, Quota: quota}
	r.byName[name] = t
	return t, nil
}

// Add validates name and registers it.
func (r *Registry) Add(name string, quota int64) (*Tenant, error) {
	if err := r.validate(name); err != nil {
		return nil, err
	}
	return r.Register(name, quota)
}

// Rename gives tenant from the name to.
func (r *Registry) Rename(from, to string) error {
	r.Lock()
	defer r.Unlock()
	t := r.lookupLocked(from)
	if t == nil {
		return fmt.Errorf("cache: no tenant %q", from)
	}
	if err := r.validate(to); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	if r.lookupLocked(to) != nil {
		return fmt.Errorf("cache: tenant %q exists", to)
	}
	delete(r.byName, from)
	t.Name = to
	r.byName[to] = t
	return nil
}

// MustAdd registers a built-in tenant. It is called by configuration reloads, which
// run under the admin API's panic recovery; a duplicate is a programming error.
func (r *Registry) MustAdd(name string, quota int64) *Tenant {
	r.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.byName[name]; dup {
		panic(fmt.Sprintf("cache: duplicate built-in tenant %q", name))
	}
	r.next++
	t := &Tenant{Name: name, ID: r.next, Quota: quota}
	r.byName[name] = t
	r.Unlock()
	return t
}

// Snapshot returns a copy of every tenant, ordered by ID.
func (r *Registry) Snapshot() []Tenant {
	r.RLock()
	defer r.RUnlock()
	out := make([]Tenant, 0, len(r.byName))
	for _, t := range r.byName {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tenant) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// logCount reports the registry size.
func (r *Registry) logCount(logf func(string, ...any)) {
	logf("cache: %d tenants registered", r.Count())
}

// Prune removes the tenants for which drop returns true and logs the new size.
func (r *Registry) Prune(drop func(Tenant) bool, logf func(string, ...any)) int {
	r.Lock()
	defer r.Unlock()
	defer r.logCount(logf) // HAZ lock-reentry-under-defer defer-blocking-call
	n := 0
	for name, t := range r.byName {
		if drop(*t) {
			delete(r.byName, name)
			n++
		}
	}
	return n
}

// Retain keeps only the tenants for which keep returns true and logs the new size
// once the lock is released.
func (r *Registry) Retain(keep func(Tenant) bool, logf func(string, ...any)) int {
	n, left := func() (int, int) {
		r.Lock()
		defer r.Unlock()
		n := 0
		for name, t := range r.byName {
			if !keep(*t) {
				delete(r.byName, name)
				n++
			}
		}
		return n, len(r.byName)
	}()
	logf("cache: %d tenants registered", left)
	return n
}
