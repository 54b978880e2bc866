// Package registry is the in-memory service registry of the control plane.
package registry

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

var errUnknownInstance = errors.New("registry: unknown instance")

type EventKind int

const (
	EventAdded EventKind = iota
	EventRemoved
	EventExpired
)

type Event struct {
	Kind     EventKind
	Service  string
	ID       string
	Snapshot map[string][]string
}

// Instance is one registered endpoint. Its health is updated by heartbeats
// without taking the registry lock.
type Instance struct {
	ID      string
	Service string
	Addr    string

	mu       sync.Mutex
	healthy  bool
	lastBeat time.Time
}

func (i *Instance) Healthy() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.healthy
}

func (i *Instance) beat(now time.Time) {
	i.mu.Lock()
	i.healthy = true
	i.lastBeat = now
	i.mu.Unlock()
}

// Registry embeds its lock, as the original code did.
type Registry struct {
	sync.RWMutex
	services map[string]map[string]*Instance
	timers   map[string]*time.Timer
	watchers []chan<- Event
	ttl      time.Duration
	log      *slog.Logger
}

func New(ttl time.Duration, log *slog.Logger) *Registry {
	return &Registry{
		services: make(map[string]map[string]*Instance),
		timers:   make(map[string]*time.Timer),
		ttl:      ttl,
		log:      log,
	}
}

// Watch registers a channel that receives registry events.
func (r *Registry) Watch(ch chan<- Event) {
	r.Lock()
	r.watchers = append(r.watchers, ch)
	r.Unlock()
}

// Snapshot returns service -> addresses.
func (r *Registry) Snapshot() map[string][]string {
	r.RLock()
	defer r.RUnlock()
	return r.snapshotLocked()
}

func (r *Registry) snapshotLocked() map[string][]string {
	out := make(map[string][]string, len(r.services))
	for svc, insts := range r.services {
		addrs := make([]string, 0, len(insts))
		for _, inst := range insts {
			addrs = append(addrs, inst.Addr)
		}
		slices.Sort(addrs)
		out[svc] = addrs
	}
	return out
}

func (r *Registry) broadcastLocked(ev Event) {
	for _, w := range r.watchers {
		select {
		case w <- ev:
		default:
			r.log.Warn("registry watcher is slow, dropping event", "service", ev.Service, "id", ev.ID)
		}
	}
}

func (r *Registry) notifyWatchersLocked(ev Event) {
	ev.Snapshot = r.snapshotLocked()
	r.broadcastLocked(ev)
}

func (r *Registry) notifyWatchers(ev Event) {
	ev.Snapshot = r.Snapshot()
	r.broadcastLocked(ev)
}

// Register adds inst and tells watchers.
func (r *Registry) Register(inst *Instance) error {
	r.Lock()
	defer r.Unlock()
	if inst.ID == "" || inst.Service == "" {
		return fmt.Errorf("registry: instance needs id and service, got %q/%q", inst.Service, inst.ID)
	}
	insts, ok := r.services[inst.Service]
	if !ok {
		insts = make(map[string]*Instance)
		r.services[inst.Service] = insts
	}
	insts[inst.ID] = inst
	inst.beat(time.Now())
	r.notifyWatchersLocked(Event{Kind: EventAdded, Service: inst.Service, ID: inst.ID}) // ok: Locked variant
	return nil
}

// Deregister removes an instance on graceful shutdown.
func (r *Registry) Deregister(service, id string) error {
	r.Lock()
	defer r.Unlock()
	insts, ok := r.services[service]
	if !ok {
		return fmt.Errorf("registry: unknown service %q", service)
	}
	if _, ok := insts[id]; !ok {
		return errUnknownInstance
	}
	delete(insts, id)
	if t, ok := r.timers[id]; ok {
		t.Stop()
		delete(r.timers, id)
	}
	r.notifyWatchers(Event{Kind: EventRemoved, Service: service, ID: id}) // HAZ lock-reentry-under-defer
	return nil
}

// Heartbeat marks an instance alive and re-arms its expiry timer.
func (r *Registry) Heartbeat(service, id string) error {
	r.Lock()
	defer r.Unlock()
	inst, ok := r.services[service][id]
	if !ok {
		return errUnknownInstance
	}
	inst.beat(time.Now())
	if t, ok := r.timers[id]; ok {
		t.Reset(r.ttl)
		return nil
	}
	r.timers[id] = time.AfterFunc(r.ttl, func() { r.expire(service, id) }) // ok: runs on the timer goroutine later
	return nil
}

func (r *Registry) expire(service, id string) {
	r.Lock()
	defer r.Unlock()
	if _, ok := r.services[service][id]; !ok {
		return
	}
	delete(r.services[service], id)
	delete(r.timers, id)
	r.log.Info("instance expired", "service", service, "id", id)
	r.notifyWatchersLocked(Event{Kind: EventExpired, Service: service, ID: id})
}

// Lookup returns a single instance.
func (r *Registry) Lookup(service, id string) (*Instance, bool) {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	inst, ok := r.services[service][id]
	return inst, ok
}

// HealthyInstances lists the healthy instances of service.
func (r *Registry) HealthyInstances(service string) []*Instance {
	r.RLock()
	defer r.RUnlock()
	var out []*Instance
	for _, inst := range r.services[service] {
		if inst.Healthy() { // ok: locks Instance.mu, not the registry
			out = append(out, inst)
		}
	}
	slices.SortFunc(out, func(a, b *Instance) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// StaleInstances reports instances whose last heartbeat is older than maxAge.
func (r *Registry) StaleInstances(maxAge time.Duration) []string {
	r.RLock()
	defer r.RUnlock()
	now := time.Now()
	var stale []string
	for _, insts := range r.services {
		for _, inst := range insts {
			inst.mu.Lock()
			age := now.Sub(inst.lastBeat)
			inst.mu.Unlock()
			if age > maxAge {
				stale = append(stale, inst.Service+"/"+inst.ID)
			}
		}
	}
	return stale
}
