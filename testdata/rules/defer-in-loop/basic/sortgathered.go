package fixture

import (
	"sort"
	"sync"
)

type room struct {
	mu      sync.RWMutex
	name    string
	members map[string]bool
}

type roomStats struct {
	name    string
	members int
}

type roomRegistry struct {
	mu    sync.Mutex
	rooms map[string]*room
}

// Each room stays read-locked until the return, though only sorting the copies follows the
// loop: nothing after it needs the rooms held.
func (g *roomRegistry) snapshotAll() []roomStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]roomStats, 0, len(g.rooms))
	for _, r := range g.rooms {
		r.mu.RLock()
		defer r.mu.RUnlock() // want `r\.mu is locked on line \d+ in every iteration of the loop on line \d+, but the deferred r\.mu\.RUnlock\(\) runs only when roomRegistry\.snapshotAll returns`
		out = append(out, roomStats{name: r.name, members: len(r.members)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Lock-all: every room stays locked while the function works on all of them after the loop.
func (g *roomRegistry) renameAll(prefix string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	locked := make([]*room, 0, len(g.rooms))
	for _, r := range g.rooms {
		r.mu.Lock()
		defer r.mu.Unlock()
		locked = append(locked, r)
	}
	sort.Slice(locked, func(i, j int) bool { return locked[i].name < locked[j].name })
	for i, r := range locked {
		r.name = prefix + string(rune('a'+i))
	}
}
