package blindc

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// ServiceInfo describes one registered service instance.
type ServiceInfo struct {
	Name    string
	Addr    string
	Tags    []string
	Healthy bool
}

// RegistryEvent is published to watchers on every change.
type RegistryEvent struct {
	Kind    string
	Service string
}

// ServiceRegistry tracks live service instances. The mutex is embedded.
type ServiceRegistry struct {
	sync.Mutex
	services map[string]*ServiceInfo
	watchers []chan RegistryEvent
	version  uint64
}

// NewServiceRegistry returns an empty registry.
func NewServiceRegistry() *ServiceRegistry {
	return &ServiceRegistry{services: make(map[string]*ServiceInfo)}
}

// Register adds or replaces s.
func (r *ServiceRegistry) Register(s *ServiceInfo) error {
	r.Lock()
	defer r.Unlock()
	return r.registerLocked(s)
}

func (r *ServiceRegistry) registerLocked(s *ServiceInfo) error {
	if s.Name == "" {
		return errors.New("registry: empty service name")
	}
	r.services[s.Name] = s
	r.version++
	r.broadcastLocked(RegistryEvent{Kind: "register", Service: s.Name})
	return nil
}

func (r *ServiceRegistry) broadcastLocked(ev RegistryEvent) {
	for _, w := range r.watchers {
		select {
		case w <- ev:
		default: // slow watcher: drop the event
		}
	}
}

// Deregister removes the named service.
func (r *ServiceRegistry) Deregister(name string) {
	r.Lock()
	defer r.Unlock()
	if _, ok := r.services[name]; !ok {
		return
	}
	delete(r.services, name)
	r.version++
	r.broadcastLocked(RegistryEvent{Kind: "deregister", Service: name})
}

func hasTag(s *ServiceInfo, tag string) bool {
	for _, t := range s.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// RegisterAll registers every service atomically with respect to readers.
func (r *ServiceRegistry) RegisterAll(list []*ServiceInfo) error {
	r.Lock()
	defer r.Unlock()
	for _, s := range list {
		if err := r.Register(s); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

// RegisterBatch is RegisterAll done right.
func (r *ServiceRegistry) RegisterBatch(list []*ServiceInfo) error {
	r.Lock()
	defer r.Unlock()
	for _, s := range list {
		if err := r.registerLocked(s); err != nil { // ok: Locked helper
			return err
		}
	}
	return nil
}

// PruneUnhealthy removes every unhealthy instance.
func (r *ServiceRegistry) PruneUnhealthy() int {
	r.Lock()
	defer r.Unlock()
	removed := 0
	drop := func(name string) {
		r.Deregister(name) // HAZ lock-reentry-under-defer
		removed++
	}
	for name, s := range r.services {
		if !s.Healthy {
			drop(name)
		}
	}
	return removed
}

// Subscribe registers a watcher. The returned cancel func locks the registry
// when the caller invokes it later, not while Subscribe holds the lock.
func (r *ServiceRegistry) Subscribe(buf int) (<-chan RegistryEvent, func()) {
	ch := make(chan RegistryEvent, buf)
	r.Lock()
	defer r.Unlock()
	r.watchers = append(r.watchers, ch)
	cancel := func() {
		r.Lock() // ok: runs after Subscribe returned
		defer r.Unlock()
		for i, w := range r.watchers {
			if w == ch {
				r.watchers = append(r.watchers[:i], r.watchers[i+1:]...)
				close(ch)
				return
			}
		}
	}
	return ch, cancel
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// Apply applies a replicated event.
func (r *ServiceRegistry) Apply(ev RegistryEvent, s *ServiceInfo) error {
	r.Lock() // HAZ lock-leaked-on-return
	switch ev.Kind {
	case "register":
		r.services[s.Name] = s
	case "deregister":
		delete(r.services, ev.Service)
	case "heartbeat":
		cur, ok := r.services[ev.Service]
		if !ok {
			return fmt.Errorf("registry: heartbeat for unknown service %q", ev.Service)
		}
		cur.Healthy = true
	default:
		r.Unlock()
		return fmt.Errorf("registry: unknown event kind %q", ev.Kind)
	}
	r.version++
	r.Unlock()
	return nil
}

// ApplyChecked is Apply with the lock released on every path.
func (r *ServiceRegistry) ApplyChecked(ev RegistryEvent, s *ServiceInfo) error {
	r.Lock()
	switch ev.Kind {
	case "register":
		r.services[s.Name] = s
	case "deregister":
		delete(r.services, ev.Service)
	case "heartbeat":
		cur, ok := r.services[ev.Service]
		if !ok {
			r.Unlock()
			return fmt.Errorf("registry: heartbeat for unknown service %q", ev.Service)
		}
		cur.Healthy = true
	default:
		r.Unlock()
		return fmt.Errorf("registry: unknown event kind %q", ev.Kind)
	}
	r.version++
	r.Unlock()
	return nil
}

// MustRegister registers s and panics on a duplicate name.
func (r *ServiceRegistry) MustRegister(s *ServiceInfo) {
	r.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.services[s.Name]; dup {
		panic("registry: duplicate service " + s.Name)
	}
	r.services[s.Name] = s
	r.version++
	r.Unlock()
}

// MustRegisterOnce releases the lock before panicking.
func (r *ServiceRegistry) MustRegisterOnce(s *ServiceInfo) {
	r.Lock()
	_, dup := r.services[s.Name]
	if !dup {
		r.services[s.Name] = s
		r.version++
	}
	r.Unlock()
	if dup {
		panic("registry: duplicate service " + s.Name)
	}
}

// FindByTag returns a healthy instance carrying all tags.
func (r *ServiceRegistry) FindByTag(tags []string) *ServiceInfo {
	r.Lock() // HAZ lock-leaked-on-return
candidates:
	for _, s := range r.services {
		for _, want := range tags {
			if !hasTag(s, want) {
				continue candidates
			}
		}
		if s.Healthy {
			return s
		}
	}
	r.Unlock()
	return nil
}

// ---------------------------------------------------------------------------
// PluginRegistry holds named plugins behind an embedded RWMutex.
type PluginRegistry struct {
	sync.RWMutex
	plugins map[string]Plugin
}

// Plugin is an extension loaded at startup.
type Plugin interface {
	Name() string
	Init() error
}

// AccessMode selects how Visit locks the registry.
type AccessMode int

const (
	ReadOnly AccessMode = iota
	ReadWrite
)

// Find returns the named plugin.
func (r *PluginRegistry) Find(name string) (Plugin, bool) {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	p, ok := r.plugins[name]
	return p, ok
}

// Names lists plugin names in order.
func (r *PluginRegistry) Names() []string {
	r.RLock()
	defer r.RUnlock() // ok: matching read unlock
	names := make([]string, 0, len(r.plugins))
	for n := range r.plugins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Visit runs fn over the plugin map with the requested access.
func (r *PluginRegistry) Visit(mode AccessMode, fn func(map[string]Plugin)) {
	switch mode {
	case ReadOnly:
		r.RLock()
		defer r.RUnlock()
	case ReadWrite:
		r.Lock()
		defer r.RUnlock() // HAZ defer-lock-mismatch
	}
	fn(r.plugins)
}

// VisitLocked runs fn with the write or read lock, each released in kind.
func (r *PluginRegistry) VisitLocked(write bool, fn func(map[string]Plugin)) {
	if write {
		r.Lock()
		defer r.Unlock() // ok
	} else {
		r.RLock()
		defer r.RUnlock() // ok
	}
	fn(r.plugins)
}
