// Package gossip tracks which cache peers are alive.
package gossip

import (
	"sort"
	"sync"
	"time"
)

// Kind is the kind of a membership event.
type Kind int

const (
	Alive Kind = iota
	Suspect
	Dead
)

// suspectLimit is how many suspicions declare a peer dead.
const suspectLimit = 3

// Event is one membership observation from the gossip protocol.
type Event struct {
	Kind Kind
	ID   string
	Addr string
}

// Membership is the local view of the peer set.
type Membership struct {
	mu       sync.Mutex
	members  map[string]string
	suspects map[string]int
	seen     map[string]time.Time
}

// NewMembership returns an empty view.
func NewMembership() *Membership {
	return &Membership{
		members:  make(map[string]string),
		suspects: make(map[string]int),
		seen:     make(map[string]time.Time),
	}
}

// Observe applies a batch of events. A peer suspected often enough is
// treated as dead.
func (m *Membership) Observe(evs []Event) {
	now := time.Now()
	for _, ev := range evs {
		m.mu.Lock() // HAZ lock-leaked-on-return
		switch ev.Kind {
		case Suspect:
			m.suspects[ev.ID]++
			if m.suspects[ev.ID] < suspectLimit {
				m.mu.Unlock()
				continue
			}
			fallthrough
		case Dead:
			delete(m.members, ev.ID)
			delete(m.suspects, ev.ID)
			delete(m.seen, ev.ID)
			continue
		case Alive:
			m.members[ev.ID] = ev.Addr
			delete(m.suspects, ev.ID)
		}
		m.seen[ev.ID] = now
		m.mu.Unlock()
	}
}

// ObserveOne applies one event; the same fallthrough, but every case falls
// to the single unlock at the end.
func (m *Membership) ObserveOne(ev Event) bool {
	m.mu.Lock()
	changed := false
	switch ev.Kind {
	case Suspect:
		m.suspects[ev.ID]++
		if m.suspects[ev.ID] < suspectLimit {
			break
		}
		fallthrough
	case Dead:
		_, changed = m.members[ev.ID]
		delete(m.members, ev.ID)
		delete(m.suspects, ev.ID)
	case Alive:
		_, known := m.members[ev.ID]
		changed = !known
		m.members[ev.ID] = ev.Addr
		m.seen[ev.ID] = time.Now()
	}
	m.mu.Unlock()
	return changed
}

// Peers returns the sorted live peer IDs.
func (m *Membership) Peers() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.members))
	for id := range m.members {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Node is one cache node of a region.
type Node struct {
	ID   string
	Down bool
}

// Registry groups nodes by region.
type Registry struct {
	mu      sync.RWMutex
	regions map[string][]Node
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{regions: make(map[string][]Node)}
}

// SetRegion replaces the nodes of region.
func (r *Registry) SetRegion(region string, nodes []Node) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.regions[region] = append([]Node(nil), nodes...)
}

// Healthy returns the regions, among names, whose nodes are all up.
func (r *Registry) Healthy(names []string) []string {
	var out []string
regions:
	for _, name := range names {
		r.mu.RLock() // HAZ lock-leaked-on-return
		for _, n := range r.regions[name] {
			if n.Down {
				continue regions
			}
		}
		r.mu.RUnlock()
		out = append(out, name)
	}
	return out
}

// Degraded returns the regions, among names, with a node down; the read lock
// is dropped before the labelled continue.
func (r *Registry) Degraded(names []string) []string {
	var out []string
regions:
	for _, name := range names {
		r.mu.RLock()
		for _, n := range r.regions[name] {
			if n.Down {
				r.mu.RUnlock()
				out = append(out, name)
				continue regions
			}
		}
		r.mu.RUnlock()
	}
	return out
}

// CountDown counts down nodes over all regions, skipping a region at its
// first down node; the lock is held once around the whole loop.
func (r *Registry) CountDown() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	down := 0
regions:
	for _, nodes := range r.regions {
		for _, n := range nodes {
			if n.Down {
				down++
				continue regions
			}
		}
	}
	return down
}
