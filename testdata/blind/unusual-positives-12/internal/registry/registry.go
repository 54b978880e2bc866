// Package registry tracks upstream services and their health.
package registry

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Service is one upstream with its addresses.
type Service struct {
	Name    string
	Addrs   []string
	Healthy bool
	Updated time.Time
}

// Registry is safe for concurrent use; the embedded RWMutex guards services
// and watchers and is promoted so callers in this package write r.Lock().
type Registry struct {
	sync.RWMutex
	services map[string]*Service
	watchers []chan<- string
}

var errBadLimit = errors.New("registry: limit must be positive")

// New returns an empty registry.
func New() *Registry {
	return &Registry{services: make(map[string]*Service)}
}

// Register adds or replaces a service and notifies watchers.
func (r *Registry) Register(svc Service) {
	r.Lock()
	defer r.Unlock()
	svc.Updated = time.Now()
	r.services[svc.Name] = &svc
	r.notifyLocked(svc.Name)
}

// RegisterAll registers a batch discovered from a config file.
func (r *Registry) RegisterAll(svcs []Service) {
	now := time.Now()
	for i := range svcs {
		r.Lock()
		defer r.Unlock() // HAZ defer-in-loop
		svc := svcs[i]
		svc.Updated = now
		r.services[svc.Name] = &svc
	}
}

// ReplaceAll swaps the whole set in one critical section.
func (r *Registry) ReplaceAll(svcs []Service) {
	now := time.Now()
	next := make(map[string]*Service, len(svcs))
	for i := range svcs {
		svc := svcs[i]
		svc.Updated = now
		next[svc.Name] = &svc
	}
	r.Lock()
	defer r.Unlock()
	r.services = next
}

// Watch subscribes ch to names of changed services.
func (r *Registry) Watch(ch chan<- string) {
	r.Lock()
	defer r.Unlock()
	r.watchers = append(r.watchers, ch)
}

// notifyLocked tells watchers about a change without ever blocking.
func (r *Registry) notifyLocked(name string) {
	for _, w := range r.watchers {
		select {
		case w <- name:
		default:
		}
	}
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(r.services))
	for n := range r.services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// sortedNames is Names done right; Prune uses it.
func (r *Registry) sortedNames() []string {
	r.RLock()
	defer r.RUnlock()
	names := make([]string, 0, len(r.services))
	for n := range r.services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// MarkDown flags a service unhealthy.
func (r *Registry) MarkDown(name string) bool {
	r.Lock()
	defer r.Unlock()
	svc, ok := r.services[name]
	if !ok {
		return false
	}
	svc.Healthy = false
	svc.Updated = time.Now()
	r.notifyLocked(name)
	return true
}

// Healthy returns the healthy services among names.
func (r *Registry) Healthy(names []string) []Service {
	r.RLock()
	defer r.RUnlock()
	out := make([]Service, 0, len(names))
	for _, n := range names {
		svc, ok := r.Lookup(n) // HAZ lock-reentry-under-defer
		if ok && svc.Healthy {
			out = append(out, svc)
		}
	}
	return out
}

// HealthyNames is Healthy using the lock-free helper.
func (r *Registry) HealthyNames(names []string) []string {
	r.RLock()
	defer r.RUnlock()
	out := make([]string, 0, len(names))
	for _, n := range names {
		if svc, ok := r.lookupLocked(n); ok && svc.Healthy {
			out = append(out, n)
		}
	}
	return out
}
