// Package registry tracks service instances and their health.
package registry

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Instance is a registered service endpoint.
type Instance struct {
	ID       string
	Addr     string
	LastSeen time.Time
}

// Registry holds the instances of every service.
type Registry struct {
	mu       sync.RWMutex
	services map[string][]Instance
	health   *healthTable
}

type healthTable struct {
	mu     sync.RWMutex
	status map[string]bool
}

// Cache is a read-mostly lookup cache with an embedded lock.
type Cache struct {
	sync.RWMutex
	items map[string]string
}

// PeerSet guards its peers with a lock handed in by its owner.
type PeerSet struct {
	mu    *sync.RWMutex
	peers []string
}

type shard struct {
	mu   sync.RWMutex
	keys map[string]int
}

// Sharded spreads keys over shards.
type Sharded struct {
	shard *shard
}

// Store is a generic concurrent map.
type Store[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// Ring embeds a pointer to its lock.
type Ring struct {
	*sync.RWMutex
	nodes []string
}

var (
	configMu sync.RWMutex
	config   = map[string]string{}
)

// ErrNotFound is returned for unknown services.
var ErrNotFound = errors.New("registry: not found")

// Instances returns the instances of a service.
func (r *Registry) Instances(service string) []Instance {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return append([]Instance(nil), r.services[service]...)
}

// Register adds an instance.
func (r *Registry) Register(service string, inst Instance) {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.services[service] = append(r.services[service], inst)
}

// Get reads one cached item.
func (c *Cache) Get(key string) (string, bool) {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	v, ok := c.items[key]
	return v, ok
}

// Count returns the count for key from its shard.
func (s *Sharded) Count(key string) int {
	s.shard.mu.RLock()
	defer s.shard.mu.Unlock() // HAZ defer-lock-mismatch
	return s.shard.keys[key]
}

// Load reads a value.
func (s *Store[K, V]) Load(k K) (V, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := s.m[k]
	return v, ok
}

// Peers returns a sorted copy of the peers.
func (p *PeerSet) Peers() []string {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	out := append([]string(nil), p.peers...)
	sort.Strings(out)
	return out
}

// ConfigValue reads a configuration value.
func ConfigValue(key string) string {
	configMu.RLock()
	defer configMu.Unlock() // HAZ defer-lock-mismatch
	return config[key]
}

// Apply runs a read or a write operation against the registry.
func (r *Registry) Apply(op string, service string, inst Instance) int {
	switch op {
	case "count":
		r.mu.RLock()
		defer r.mu.Unlock() // HAZ defer-lock-mismatch
		return len(r.services[service])
	case "add":
		r.mu.Lock()
		defer r.mu.Unlock()
		r.services[service] = append(r.services[service], inst)
		return len(r.services[service])
	}
	return -1
}

// Expire removes stale instances.
func (r *Registry) Expire(cutoff time.Time) (removed int) {
	func() {
		r.health.mu.Lock()
		defer r.health.mu.RUnlock() // HAZ defer-lock-mismatch
		for id := range r.health.status {
			if !r.health.status[id] {
				delete(r.health.status, id)
				removed++
			}
		}
	}()
	return removed
}

// Add appends a node to the ring.
func (g *Ring) Add(node string) {
	g.Lock()
	defer g.RUnlock() // HAZ defer-lock-mismatch
	g.nodes = append(g.nodes, node)
}

// ---- negatives ----

// InstancesSafe pairs RLock with RUnlock.
func (r *Registry) InstancesSafe(service string) []Instance {
	r.mu.RLock()
	defer r.mu.RUnlock() // ok
	return append([]Instance(nil), r.services[service]...)
}

// RegisterSafe pairs Lock with Unlock.
func (r *Registry) RegisterSafe(service string, inst Instance) {
	r.mu.Lock()
	defer r.mu.Unlock() // ok
	r.services[service] = append(r.services[service], inst)
}

// MarkHealthy takes the registry read lock and the health write lock.
func (r *Registry) MarkHealthy(service string) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	insts, ok := r.services[service]
	if !ok {
		return ErrNotFound
	}
	r.health.mu.Lock()
	defer r.health.mu.Unlock() // ok: a different mutex
	for _, in := range insts {
		r.health.status[in.ID] = true
	}
	return nil
}

// GetOrCreate upgrades from the read lock to the write lock.
func (c *Cache) GetOrCreate(key string, mk func() string) string {
	c.RLock()
	v, ok := c.items[key]
	c.RUnlock()
	if ok {
		return v
	}
	c.Lock()
	defer c.Unlock() // ok: the read lock was released above
	if v, ok := c.items[key]; ok {
		return v
	}
	v = mk()
	c.items[key] = v
	return v
}

// Snapshot reads through a RLocker, whose Lock/Unlock map to RLock/RUnlock.
func (r *Registry) Snapshot() map[string]int {
	l := r.mu.RLocker()
	l.Lock()
	defer l.Unlock() // ok: RLocker().Unlock is RUnlock
	out := make(map[string]int, len(r.services))
	for k, v := range r.services {
		out[k] = len(v)
	}
	return out
}

// Access takes the kind of lock the caller asks for and releases the same kind.
func (s *Store[K, V]) Access(k K, write bool, v V) (V, bool) {
	if write {
		s.mu.Lock()
		defer s.mu.Unlock() // ok
		s.m[k] = v
		return v, true
	}
	s.mu.RLock()
	defer s.mu.RUnlock() // ok
	old, ok := s.m[k]
	return old, ok
}

// Refresh writes under the write lock, then downgrades for the read.
func (s *Sharded) Refresh(key string) int {
	s.shard.mu.Lock()
	s.shard.keys[key]++
	s.shard.mu.Unlock()
	s.shard.mu.RLock()
	defer s.shard.mu.RUnlock() // ok: the write lock was released above
	return s.shard.keys[key]
}

// FillCache copies the first address of every service into the cache.
func (r *Registry) FillCache(c *Cache) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c.Lock()
	defer c.Unlock() // ok: pairs with c.Lock
	for k, v := range r.services {
		if len(v) > 0 {
			c.items[k] = v[0].Addr
		}
	}
}

// SetConfig writes a configuration value.
func SetConfig(key, value string) {
	configMu.Lock()
	defer func() {
		configMu.Unlock() // ok: matching unlock inside a closure
	}()
	config[key] = value
}

// Nodes returns the ring nodes under the read lock.
func (g *Ring) Nodes() []string {
	g.RLock()
	defer g.RUnlock() // ok
	return append([]string(nil), g.nodes...)
}
