// Package proxy is the data plane: it matches requests to routes, applies
// the per-route middleware and forwards them with httputil.ReverseProxy.
package proxy

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"example.com/ratelimitgw/internal/config"
	"example.com/ratelimitgw/internal/limiter"
	"example.com/ratelimitgw/internal/trace"
)

// Route is a compiled route.
type Route struct {
	cfg     config.Route
	target  *url.URL
	proxy   *httputil.ReverseProxy
	handler http.Handler
}

// Name returns the route name.
func (rt *Route) Name() string { return rt.cfg.Name }

// Table is the live, swappable route table.
type Table struct {
	mu     sync.RWMutex
	routes []*Route
	byName map[string]*Route
	reg    *limiter.Registry
}

// NewTable returns an empty table whose routes are limited through reg.
func NewTable(reg *limiter.Registry) *Table {
	return &Table{byName: map[string]*Route{}, reg: reg}
}

func buildRoute(rc config.Route, reg *limiter.Registry) (*Route, error) {
	target, err := url.Parse(rc.Upstream)
	if err != nil {
		return nil, fmt.Errorf("route %s: %w", rc.Name, err)
	}
	rt := &Route{cfg: rc, target: target}
	rt.proxy = httputil.NewSingleHostReverseProxy(target)
	rt.proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Printf("route %s: upstream %s: %v", rc.Name, target.Host, err)
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer trace.Span("route." + rc.Name)()
		if rc.StripPrefix {
			r.URL.Path = "/" + strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, rc.Prefix), "/")
		}
		rt.proxy.ServeHTTP(w, r)
	})
	if rc.Limits.Burst > 0 {
		reg.SetPolicy(rc.Name, rc.Limits)
		h = NewRateLimit(reg, rc.TenantHeader, 0, h)
	}
	rt.handler = h
	return rt, nil
}

// Replace compiles cfg and swaps it in; on error the old table stays.
func (t *Table) Replace(cfg *config.Config) error {
	routes := make([]*Route, 0, len(cfg.Routes))
	byName := make(map[string]*Route, len(cfg.Routes))
	for _, rc := range cfg.Routes {
		rt, err := buildRoute(rc, t.reg)
		if err != nil {
			return err
		}
		routes = append(routes, rt)
		byName[rc.Name] = rt
	}
	// Longest prefix first.
	sort.Slice(routes, func(i, j int) bool { return len(routes[i].cfg.Prefix) > len(routes[j].cfg.Prefix) })
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes = routes
	t.byName = byName
	return nil
}

// OnReload implements config.Subscriber.
func (t *Table) OnReload(cfg *config.Config) {
	if err := t.Replace(cfg); err != nil {
		log.Printf("route table not replaced: %v", err)
	}
}

// Match returns the route with the longest matching prefix, or nil.
func (t *Table) Match(path string) *Route {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, rt := range t.routes {
		if strings.HasPrefix(path, rt.cfg.Prefix) {
			return rt
		}
	}
	return nil
}

// Get returns the route called name, or nil.
func (t *Table) Get(name string) *Route {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byName[name]
}

func (t *Table) snapshot() []*Route {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return append([]*Route(nil), t.routes...)
}

// warmRoute opens a connection to the route's upstream so the first real
// request does not pay for the TLS handshake.
func warmRoute(ctx context.Context, client *http.Client, rt *Route) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rt.target.String(), nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Warm pre-connects to every upstream in parallel and returns how many
// answered.
func (t *Table) Warm(ctx context.Context, client *http.Client) int {
	routes := t.snapshot()
	var wg sync.WaitGroup
	var ok atomic.Int32
	started := 0
	var i int
	for i = 0; i < len(routes); i++ {
		if routes[i].cfg.SkipWarm {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if warmRoute(ctx, client, routes[i]) == nil {
				ok.Add(1)
			}
		}()
		started++
	}
	wg.Wait()
	log.Printf("warmed %d/%d upstreams (%d routes)", ok.Load(), started, i)
	return int(ok.Load())
}
