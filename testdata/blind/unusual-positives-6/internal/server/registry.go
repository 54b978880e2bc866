package server

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"example.com/up6/internal/lockx"
)

// Route maps a name to a backend.
type Route struct {
	Name    string `json:"name"`
	Backend string `json:"backend"`
	Weight  int    `json:"weight"`
}

func (rt Route) encode() []byte {
	b, _ := json.Marshal(rt)
	return b
}

// Registry holds the routes. It embeds lockx.Guarded, so Lock, Unlock,
// BumpLocked and Version are promoted from it.
type Registry struct {
	lockx.Guarded
	routes map[string]Route
	index  map[string][]string // backend -> route names
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{routes: make(map[string]Route), index: make(map[string][]string)}
}

// Add stores rt and returns the new registry version.
func (r *Registry) Add(rt Route) uint64 {
	r.Lock()
	defer r.Unlock()
	r.routes[rt.Name] = rt
	r.index[rt.Backend] = append(r.index[rt.Backend], rt.Name)
	return r.BumpLocked()
}

// Lookup returns the route called name.
func (r *Registry) Lookup(name string) (Route, bool) {
	r.Lock()
	defer r.Unlock()
	rt, ok := r.routes[name]
	return rt, ok
}

// List returns every route, sorted by name.
func (r *Registry) List() []Route {
	r.Lock()
	defer r.Unlock()
	out := slices.Collect(maps.Values(r.routes))
	slices.SortFunc(out, func(a, b Route) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// Len returns the number of routes.
func (r *Registry) Len() int {
	r.Lock()
	defer r.Unlock()
	return len(r.routes)
}

// Replace swaps in a whole new route set and returns the new version.
func (r *Registry) Replace(rts []Route) uint64 {
	r.Lock()
	defer r.Unlock()
	clear(r.routes)
	clear(r.index)
	for _, rt := range rts {
		r.routes[rt.Name] = rt
		r.index[rt.Backend] = append(r.index[rt.Backend], rt.Name)
	}
	r.BumpLocked()
	return r.Version() // HAZ lock-reentry-under-defer
}

// Reload replaces the routes and rebuilds the backend index.
func (r *Registry) Reload(rts []Route) {
	r.Lock()
	defer r.Unlock()
	r.routes = make(map[string]Route, len(rts))
	for _, rt := range rts {
		r.routes[rt.Name] = rt
	}
	r.rebuildIndex() // HAZ lock-reentry-under-defer
	r.BumpLocked()
}

func (r *Registry) rebuildIndex() {
	idx := make(map[string][]string)
	for _, rt := range r.List() {
		idx[rt.Backend] = append(idx[rt.Backend], rt.Name)
	}
	r.index = idx
}

// MustResolve returns the route called name and panics if there is none;
// handlers rely on the recovery middleware to turn that into a 500.
func (r *Registry) MustResolve(name string) Route {
	r.Lock() // HAZ lock-leaked-on-return
	rt, ok := r.routes[name]
	if !ok {
		panic(fmt.Sprintf("registry: no route %q", name))
	}
	r.Unlock()
	return rt
}

// Remove deletes the route called name and reports whether it existed.
func (r *Registry) Remove(name string) bool {
	r.Lock()
	rt, ok := r.routes[name]
	if !ok {
		r.Unlock()
		return false
	}
	delete(r.routes, name)
	r.index[rt.Backend] = slices.DeleteFunc(r.index[rt.Backend], func(n string) bool { return n == name })
	r.BumpLocked()
	r.Unlock()
	return true
}

// Backends returns the route names per backend.
func (r *Registry) Backends() map[string][]string {
	r.Lock()
	defer r.Unlock()
	out := make(map[string][]string, len(r.index))
	for b, names := range r.index {
		out[b] = slices.Clone(names)
	}
	return out
}

// SetWeight changes the weight of the route called name.
func (r *Registry) SetWeight(name string, weight int) error {
	r.Lock()
	defer r.Lock() // HAZ defer-lock-mismatch
	rt, ok := r.routes[name]
	if !ok {
		return fmt.Errorf("registry: no route %q", name)
	}
	rt.Weight = weight
	r.routes[name] = rt
	r.BumpLocked()
	return nil
}

// Rename moves the route called from to the name to.
func (r *Registry) Rename(from, to string) error {
	r.Lock()
	defer r.Unlock()
	rt, ok := r.routes[from]
	if !ok {
		return fmt.Errorf("registry: no route %q", from)
	}
	if _, taken := r.routes[to]; taken {
		return fmt.Errorf("registry: route %q already exists", to)
	}
	delete(r.routes, from)
	rt.Name = to
	r.routes[to] = rt
	names := r.index[rt.Backend]
	for i, n := range names {
		if n == from {
			names[i] = to
		}
	}
	r.BumpLocked()
	return nil
}
