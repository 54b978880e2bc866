package breaker

import (
	"sort"
	"sync"
)

// Group lazily creates one breaker per dependency name.
type Group struct {
	mu       sync.Mutex
	template Settings
	byName   map[string]*Breaker
}

// NewGroup returns a group whose breakers use template settings.
func NewGroup(template Settings) *Group {
	return &Group{template: template, byName: make(map[string]*Breaker)}
}

// Get returns the breaker for name, creating it on first use.
func (g *Group) Get(name string) *Breaker {
	g.mu.Lock()
	defer g.mu.Unlock()
	if b, ok := g.byName[name]; ok {
		return b
	}
	s := g.template
	s.Name = name
	b := New(s)
	g.byName[name] = b
	return b
}

// Do runs fn through the breaker for name.
func (g *Group) Do(name string, fn func() error) error {
	return g.Get(name).Execute(fn)
}

// Snapshot returns the state of every breaker, sorted by name. Breaker
// locks are taken after the group lock is released, never under it.
func (g *Group) Snapshot() []NamedState {
	g.mu.Lock()
	bs := make(map[string]*Breaker, len(g.byName))
	for n, b := range g.byName {
		bs[n] = b
	}
	g.mu.Unlock()

	out := make([]NamedState, 0, len(bs))
	for n, b := range bs {
		out = append(out, NamedState{Name: n, State: b.State()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// NamedState pairs a breaker name with its state.
type NamedState struct {
	Name  string
	State State
}

// Remove forgets the breaker for name.
func (g *Group) Remove(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.byName, name)
}
