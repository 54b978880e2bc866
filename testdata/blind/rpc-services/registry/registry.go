// Package registry is the service registry: instances register and
// heartbeat, clients look services up, watch changes and balance load.
package registry

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Instance is one registered endpoint of a service.
type Instance struct {
	ID       string            `json:"id"`
	Service  string            `json:"service"`
	Addr     string            `json:"addr"`
	Meta     map[string]string `json:"meta,omitempty"`
	Weight   int               `json:"weight"`
	LastSeen time.Time         `json:"last_seen"`
}

// EventKind says what happened to an instance.
type EventKind int

// Event kinds.
const (
	Added EventKind = iota + 1
	Removed
	Updated
)

func (k EventKind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Updated:
		return "updated"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is a change notification.
type Event struct {
	Kind     EventKind `json:"kind"`
	Instance Instance  `json:"instance"`
}

// Registry is an in-memory registry with TTL-based expiry.
type Registry struct {
	mu       sync.RWMutex
	services map[string]map[string]*Instance
	watchers map[string][]chan Event
	hooks    map[string]func()
	ttl      time.Duration
	now      func() time.Time
}

// New returns a registry that forgets instances silent for longer than ttl.
func New(ttl time.Duration) *Registry {
	return &Registry{
		services: make(map[string]map[string]*Instance),
		watchers: make(map[string][]chan Event),
		hooks:    make(map[string]func()),
		ttl:      ttl,
		now:      time.Now,
	}
}

// Register adds or updates an instance.
func (r *Registry) Register(inst Instance) error {
	if inst.Service == "" || inst.ID == "" || inst.Addr == "" {
		return errors.New("registry: service, id and addr are required")
	}
	if inst.Weight <= 0 {
		inst.Weight = 1
	}
	inst.LastSeen = r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	byID, ok := r.services[inst.Service]
	if !ok {
		byID = make(map[string]*Instance)
		r.services[inst.Service] = byID
	}
	kind := Added
	if _, exists := byID[inst.ID]; exists {
		kind = Updated
	}
	byID[inst.ID] = &inst
	r.broadcastLocked(inst.Service, Event{Kind: kind, Instance: inst})
	return nil
}

// Deregister removes an instance and reports whether it was there.
func (r *Registry) Deregister(service, id string) bool {
	r.mu.Lock() // HAZ lock-leaked-on-return
	byID, ok := r.services[service]
	if !ok {
		return false
	}
	inst, ok := byID[id]
	if !ok {
		r.mu.Unlock()
		return false
	}
	delete(byID, id)
	if len(byID) == 0 {
		delete(r.services, service)
	}
	r.broadcastLocked(service, Event{Kind: Removed, Instance: *inst})
	r.mu.Unlock()
	return true
}

// Heartbeat refreshes an instance's TTL.
func (r *Registry) Heartbeat(service, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	inst, ok := r.services[service][id]
	if !ok {
		return fmt.Errorf("registry: %s/%s is not registered", service, id)
	}
	inst.LastSeen = r.now()
	return nil
}

// Lookup returns the live instances of service, sorted by id.
func (r *Registry) Lookup(service string) []Instance {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.lookupLocked(service)
}

// lookupLocked must be called with r.mu held (read or write).
func (r *Registry) lookupLocked(service string) []Instance {
	cutoff := r.now().Add(-r.ttl)
	out := make([]Instance, 0, len(r.services[service]))
	for _, inst := range r.services[service] {
		if r.ttl > 0 && inst.LastSeen.Before(cutoff) {
			continue
		}
		out = append(out, *inst)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Services returns the registered service names, sorted.
func (r *Registry) Services() []string {
	r.mu.RLock()
	names := make([]string, 0, len(r.services))
	for name := range r.services {
		names = append(names, name)
	}
	r.mu.RUnlock()
	sort.Strings(names)
	return names
}

// Count returns the number of instances of service, live or not.
func (r *Registry) Count(service string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.services[service])
}

// Watch returns the changes to service until ctx ends; the channel is then
// closed. Slow readers lose events: sends never block the registry.
func (r *Registry) Watch(ctx context.Context, service string) <-chan Event {
	ch := make(chan Event, 64)
	r.mu.Lock()
	r.watchers[service] = append(r.watchers[service], ch)
	r.mu.Unlock()
	go func() {
		<-ctx.Done()
		r.unwatch(service, ch)
	}()
	return ch
}

func (r *Registry) unwatch(service string, ch chan Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ws := r.watchers[service]
	for i, w := range ws {
		if w == ch {
			r.watchers[service] = append(ws[:i:i], ws[i+1:]...)
			close(ch)
			return
		}
	}
}

// broadcastLocked must be called with r.mu held for writing, which also
// keeps unwatch from closing a channel during the send.
func (r *Registry) broadcastLocked(service string, ev Event) {
	for _, ch := range r.watchers[service] {
		select {
		case ch <- ev:
		default:
		}
	}
}

// Replay sends the current instances of service on out as Added events and
// closes out; the caller ranges over it.
func (r *Registry) Replay(service string, out chan<- Event) {
	defer close(out)
	for _, inst := range r.Lookup(service) {
		out <- Event{Kind: Added, Instance: inst}
	}
}

// Expire drops instances whose last heartbeat is older than the TTL.
func (r *Registry) Expire() int {
	if r.ttl <= 0 {
		return 0
	}
	cutoff := r.now().Add(-r.ttl)
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for service, byID := range r.services {
		for id, inst := range byID {
			if inst.LastSeen.Before(cutoff) {
				delete(byID, id)
				r.broadcastLocked(service, Event{Kind: Removed, Instance: *inst})
				n++
			}
		}
		if len(byID) == 0 {
			delete(r.services, service)
		}
	}
	return n
}

// Janitor expires instances periodically until ctx ends.
func (r *Registry) Janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.Expire()
		}
	}
}

// SetHook installs a callback for a registry event ("drained").
func (r *Registry) SetHook(event string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks[event] = fn
}

// Drain deregisters every instance of service, e.g. before a zone goes
// down, and runs the "drained" hook afterwards.
func (r *Registry) Drain(service string) int {
	r.mu.RLock()
	hook := r.hooks["drained"]
	r.mu.RUnlock()
	defer hook() // HAZ defer-nil-func
	n := 0
	for _, inst := range r.Lookup(service) {
		if r.Deregister(service, inst.ID) {
			n++
		}
	}
	return n
}

// CollectEvents gathers up to max changes of the given services, or what
// arrived before ctx ended. The forwarders give up when ctx ends.
func (r *Registry) CollectEvents(ctx context.Context, services []string, max int) []Event {
	merged := make(chan Event)
	defer close(merged) // HAZ defer-close-chan-with-sender
	for _, svc := range services {
		src := r.Watch(ctx, svc)
		go func() {
			for ev := range src {
				select {
				case merged <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	var out []Event
	for len(out) < max {
		select {
		case ev := <-merged:
			out = append(out, ev)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
