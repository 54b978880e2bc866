// Package controller reconciles cluster objects against their desired state.
package controller

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/blinde/obs"
)

// Object is a minimal cluster object.
type Object struct {
	Kind        string
	Namespace   string
	Name        string
	Generation  int64
	Terminating bool
	Labels      map[string]string
}

// Key returns namespace/name.
func (o *Object) Key() string { return o.Namespace + "/" + o.Name }

// Node is a cluster node.
type Node struct {
	Name          string
	Unschedulable bool
}

// Pod is a workload pod.
type Pod struct {
	Name        string
	NodeName    string
	Terminating bool
}

// EventType classifies watch events.
type EventType int

const (
	Added EventType = iota
	Modified
	Deleted
	Synced
)

// Event is a watch or status event.
type Event struct {
	Type EventType
	Key  string
}

// Config holds reconciler settings.
type Config struct {
	ScratchDir string
	ProfileDir string
	MaxRetries int
	Workers    int
	Timeout    time.Duration
}

// Shard is one partition of the object cache.
type Shard struct {
	mu      sync.RWMutex
	id      int
	objects map[string]*Object
}

// Lease is a leader-election lease.
type Lease struct {
	ID      string
	Expires time.Time
	mgr     *LeaseManager
}

// Release gives up the lease.
func (l *Lease) Release() { l.mgr.release(l.ID) }

// LeaseManager keeps the current lease, renewing it when it nears expiry.
type LeaseManager struct {
	renewMu  sync.Mutex // serializes renewals
	current  atomic.Pointer[Lease]
	released sync.Map // lease ID -> time released
	ttl      time.Duration
	seq      int
}

func newLeaseManager(ttl time.Duration) *LeaseManager {
	m := &LeaseManager{ttl: ttl}
	m.current.Store(&Lease{ID: "initial", Expires: time.Now().Add(ttl), mgr: m})
	return m
}

// Current returns the lease held right now.
func (m *LeaseManager) Current() *Lease { return m.current.Load() }

// RenewIfNeeded replaces the current lease when it is close to expiry.
func (m *LeaseManager) RenewIfNeeded() {
	m.renewMu.Lock()
	defer m.renewMu.Unlock()
	if cur := m.current.Load(); time.Until(cur.Expires) > m.ttl/3 {
		return
	}
	m.seq++
	m.current.Store(&Lease{ID: fmt.Sprintf("lease-%d", m.seq), Expires: time.Now().Add(m.ttl), mgr: m})
}

func (m *LeaseManager) release(id string) { m.released.Store(id, time.Now()) }

// Reconciler drives objects to their desired state.
type Reconciler struct {
	mu         sync.Mutex
	cfg        Config
	finalizers map[string]func(*Object)
	inflight   sync.Map
	onSynced   func(key string)
	emit       func(Event)
	logger     *log.Logger
	synced     map[string]int64
	failures   map[string]int
	shards     []*Shard
	leases     *LeaseManager
	metrics    *obs.Metrics
	phase      string
}

// NewReconciler builds a Reconciler with its event sink wired.
func NewReconciler(cfg Config, logger *log.Logger, sink chan<- Event) *Reconciler {
	r := &Reconciler{
		cfg:        cfg,
		finalizers: map[string]func(*Object){},
		logger:     logger,
		synced:     map[string]int64{},
		failures:   map[string]int{},
		leases:     newLeaseManager(15 * time.Second),
		metrics:    obs.NewMetrics(),
	}
	r.emit = func(ev Event) {
		select {
		case sink <- ev:
		default:
			logger.Printf("event sink full, dropping %v for %s", ev.Type, ev.Key)
		}
	}
	for i := range 16 {
		r.shards = append(r.shards, &Shard{id: i, objects: map[string]*Object{}})
	}
	return r
}

// RegisterFinalizer installs the finalizer for kind.
func (r *Reconciler) RegisterFinalizer(kind string, fn func(*Object)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finalizers[kind] = fn
}

func (r *Reconciler) shardFor(key string) *Shard {
	h := 0
	for i := 0; i < len(key); i++ {
		h = h*31 + int(key[i])
	}
	if h < 0 {
		h = -h
	}
	return r.shards[h%len(r.shards)]
}

func (r *Reconciler) markSynced(key string, gen int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.synced[key] = gen
}

func (r *Reconciler) recordFailure(key string, attempt int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures[key] = attempt
	r.logger.Printf("sync %s attempt %d failed: %v", key, attempt, err)
}

func (r *Reconciler) setPhase(p string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.phase = p
}

func (r *Reconciler) currentPhase() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.phase
}

func (r *Reconciler) syncOne(ctx context.Context, obj *Object) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sh := r.shardFor(obj.Key())
	sh.mu.Lock()
	sh.objects[obj.Key()] = obj
	sh.mu.Unlock()
	r.markSynced(obj.Key(), obj.Generation)
	return nil
}
