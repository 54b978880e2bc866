package cache

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Settings is an immutable configuration snapshot.
type Settings struct {
	Name     string
	Replicas int
	Flags    map[string]bool
}

// Current holds the active settings; readers never lock.
type Current struct {
	p atomic.Pointer[Settings]
}

// Load returns the active settings, or defaults when none were stored.
func (c *Current) Load() *Settings {
	if s := c.p.Load(); s != nil {
		return s
	}
	return defaults()
}

// Swap installs s and returns the previous settings.
func (c *Current) Swap(s *Settings) *Settings {
	return c.p.Swap(s)
}

// Update applies fn to a copy until the compare-and-swap succeeds.
func (c *Current) Update(fn func(*Settings)) {
	for {
		old := c.p.Load()
		next := &Settings{}
		if old != nil {
			*next = *old
			next.Flags = maps.Clone(old.Flags)
		}
		fn(next)
		if c.p.CompareAndSwap(old, next) {
			return
		}
	}
}

var defaults = sync.OnceValue(func() *Settings {
	return &Settings{Name: "default", Replicas: 1, Flags: map[string]bool{}}
})

// Registry maps names to settings with a read-mostly lock.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]*Settings
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: make(map[string]*Settings)}
}

// Register adds s, failing on duplicates.
func (r *Registry) Register(s *Settings) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byName[s.Name]; dup {
		return fmt.Errorf("registry: %q already registered", s.Name)
	}
	r.byName[s.Name] = s
	return nil
}

// Lookup returns the settings named name.
func (r *Registry) Lookup(name string) (*Settings, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.byName[name]
	return s, ok
}

// Names returns the sorted names.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.byName))
}

// Describe formats every entry.
func (r *Registry) Describe() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(r.byName)) {
		s, _ := r.Lookup(name) // HAZ lock-reentry-under-defer
		fmt.Fprintf(&b, "%s replicas=%d\n", name, s.Replicas)
	}
	return b.String()
}

// Summary formats every entry from a copy taken under the read lock.
func (r *Registry) Summary() string {
	r.mu.RLock()
	snap := maps.Clone(r.byName)
	r.mu.RUnlock()
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(snap)) {
		fmt.Fprintf(&b, "%s replicas=%d\n", name, snap[name].Replicas)
	}
	return b.String()
}

// Replace swaps the whole map under the write lock.
func (r *Registry) Replace(all []*Settings) {
	next := make(map[string]*Settings, len(all))
	for _, s := range all {
		next[s.Name] = s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byName = next
}

// Count returns the number of registered entries.
func (r *Registry) Count() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.byName)
}
