package room

import (
	"sort"
	"sync"
)

// Registry maps room names to rooms. Its mutex guards only the map; each
// room has its own lock.
type Registry struct {
	mu    sync.Mutex
	rooms map[string]*Room
	keep  int
}

// NewRegistry returns an empty registry whose rooms keep keep lines.
func NewRegistry(keep int) *Registry {
	return &Registry{rooms: make(map[string]*Room), keep: keep}
}

// Get returns the named room.
func (g *Registry) Get(name string) (*Room, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r, ok := g.rooms[name]
	return r, ok
}

// GetOrCreate returns the named room, creating it if needed. The second
// result reports whether it was created.
func (g *Registry) GetOrCreate(name string) (*Room, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r, ok := g.rooms[name]; ok {
		return r, false
	}
	r := New(name, g.keep)
	g.rooms[name] = r
	return r, true
}

// Names returns the sorted room names.
func (g *Registry) Names() []string {
	g.mu.Lock()
	names := make([]string, 0, len(g.rooms))
	for n := range g.rooms {
		names = append(names, n)
	}
	g.mu.Unlock()
	sort.Strings(names)
	return names
}

// SnapshotAll returns consistent statistics for all rooms.
func (g *Registry) SnapshotAll() []Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Stats, 0, len(g.rooms))
	for _, r := range g.rooms {
		r.mu.RLock()
		defer r.mu.RUnlock() // HAZ defer-in-loop
		out = append(out, Stats{Name: r.Name, Members: len(r.members), Topic: r.topic, Created: r.created})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ReapEmpty deletes rooms that have no members and returns their names.
// Holding the registry lock while taking each room's lock is fine: rooms
// never take the registry lock.
func (g *Registry) ReapEmpty() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var reaped []string
	for name, r := range g.rooms {
		if r.Len() == 0 {
			delete(g.rooms, name)
			reaped = append(reaped, name)
		}
	}
	return reaped
}
