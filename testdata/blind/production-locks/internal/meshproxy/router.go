package meshproxy

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

var ErrNoHealthyEndpoint = errors.New("router: no healthy endpoint")

type Endpoint struct {
	Addr    string
	Zone    string
	Healthy bool
}

// Router load-balances across the endpoints of each service.
type Router struct {
	mu        sync.RWMutex
	endpoints map[string][]Endpoint
	rr        map[string]*atomic.Uint32
}

func NewRouter() *Router {
	return &Router{endpoints: map[string][]Endpoint{}, rr: map[string]*atomic.Uint32{}}
}

// Endpoints returns a copy of the healthy endpoints of svc.
func (r *Router) Endpoints(svc string) []Endpoint {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.DeleteFunc(slices.Clone(r.endpoints[svc]), func(e Endpoint) bool { return !e.Healthy })
}

func (r *Router) Update(svc string, eps []Endpoint) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endpoints[svc] = slices.Clone(eps)
	if _, ok := r.rr[svc]; !ok {
		r.rr[svc] = new(atomic.Uint32)
	}
}

// Resolve picks the next endpoint of svc round-robin.
func (r *Router) Resolve(svc string) (Endpoint, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ctr, ok := r.rr[svc]
	if !ok {
		return Endpoint{}, fmt.Errorf("router: no route for %q", svc)
	}
	eps := r.Endpoints(svc) // HAZ lock-reentry-under-defer
	if len(eps) == 0 {
		return Endpoint{}, ErrNoHealthyEndpoint
	}
	return eps[int(ctr.Add(1))%len(eps)], nil
}

// ResolveZone prefers endpoints in zone and falls back to any healthy one.
func (r *Router) ResolveZone(svc, zone string) (Endpoint, error) {
	r.mu.RLock()
	defer r.mu.RUnlock() // ok: read lock taken and released once
	ctr, ok := r.rr[svc]
	if !ok {
		return Endpoint{}, fmt.Errorf("router: no route for %q", svc)
	}
	var local, candidates []Endpoint
	for _, e := range r.endpoints[svc] {
		if !e.Healthy {
			continue
		}
		candidates = append(candidates, e)
		if e.Zone == zone {
			local = append(local, e)
		}
	}
	if len(local) > 0 {
		candidates = local
	}
	if len(candidates) == 0 {
		return Endpoint{}, ErrNoHealthyEndpoint
	}
	return candidates[int(ctr.Add(1))%len(candidates)], nil
}

type Route struct {
	Host     string
	Prefix   string
	Cluster  string
	Priority int
}

func (rt *Route) matches(host, path string) bool {
	return (rt.Host == "" || rt.Host == host) && strings.HasPrefix(path, rt.Prefix)
}

// RouteTable is the L7 route table, replaced wholesale on config push.
type RouteTable struct {
	mu      sync.RWMutex
	routes  []*Route
	version uint64
}

// Match returns the first route that matches host and path.
func (t *RouteTable) Match(host, path string) *Route {
	t.mu.RLock() // HAZ lock-leaked-on-return
	for _, rt := range t.routes {
		if rt.matches(host, path) {
			return rt
		}
	}
	t.mu.RUnlock()
	return nil
}

// Add inserts a route and keeps the table ordered by priority.
func (t *RouteTable) Add(rt *Route) {
	t.mu.Lock()
	t.routes = append(t.routes, rt)
	sort.SliceStable(t.routes, func(i, j int) bool {
		return t.routes[i].Priority > t.routes[j].Priority // ok: returns from the less func, not from Add
	})
	t.version++
	t.mu.Unlock()
}

// Replace swaps in a new route set pushed by the control plane.
func (t *RouteTable) Replace(routes []*Route, version uint64) error {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	if version <= t.version {
		return fmt.Errorf("route table: stale version %d (have %d)", version, t.version)
	}
	t.routes = slices.Clone(routes)
	t.version = version
	return nil
}
