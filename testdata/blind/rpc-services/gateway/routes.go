package gateway

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"
)

// Route maps METHOD PATH to service/rpc.
type Route struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	Service string `json:"service"`
	RPC     string `json:"rpc"`
	Stream  bool   `json:"stream,omitempty"`
}

// Key is "METHOD PATH".
func (rt Route) Key() string { return routeKey(rt.Method, rt.Path) }

// FullMethod is the RPC method path.
func (rt Route) FullMethod() string { return "/" + rt.Service + "/" + rt.RPC }

func routeKey(method, path string) string { return strings.ToUpper(method) + " " + path }

// RouteTable is a sorted list of routes.
type RouteTable []Route

// LogSummary logs the number of routes per service.
func (t RouteTable) LogSummary(l *slog.Logger, msg string) {
	per := make(map[string]int)
	for _, rt := range t {
		per[rt.Service]++
	}
	l.Info(msg, "routes", len(t), "per_service", per)
}

// DecodeRoutes reads and validates a JSON route table.
func DecodeRoutes(r io.Reader) ([]Route, error) {
	var routes []Route
	if err := json.NewDecoder(r).Decode(&routes); err != nil {
		return nil, fmt.Errorf("decode routes: %w", err)
	}
	seen := make(map[string]bool, len(routes))
	for i, rt := range routes {
		if rt.Service == "" || rt.RPC == "" || !strings.HasPrefix(rt.Path, "/") {
			return nil, fmt.Errorf("route %d (%s): service, rpc and an absolute path are required", i, rt.Key())
		}
		if rt.Method == "" {
			routes[i].Method = http.MethodPost
		}
		if seen[routes[i].Key()] {
			return nil, fmt.Errorf("duplicate route %s", routes[i].Key())
		}
		seen[routes[i].Key()] = true
	}
	return routes, nil
}

// LoadRoutes reads a route table file.
func LoadRoutes(path string) ([]Route, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeRoutes(f)
}

// SetRoutes replaces the route table.
func (g *Gateway) SetRoutes(routes []Route) {
	table := make(map[string]Route, len(routes))
	for _, rt := range routes {
		table[rt.Key()] = rt
	}
	g.mu.Lock()
	defer g.mu.RUnlock() // HAZ defer-lock-mismatch
	g.routes = table
}

// Routes returns the current route table.
func (g *Gateway) Routes() RouteTable {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make(RouteTable, 0, len(g.routes))
	for _, rt := range g.routes {
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// Reload reads the route table again and logs the new table.
func (g *Gateway) Reload(path string) error {
	defer g.Routes().LogSummary(g.log, "routes reloaded") // HAZ defer-call-chain
	routes, err := LoadRoutes(path)
	if err != nil {
		return err
	}
	g.SetRoutes(routes)
	return nil
}

func (g *Gateway) match(method, path string) (Route, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	rt, ok := g.routes[routeKey(method, path)]
	return rt, ok
}

// services returns the distinct services behind the routes.
func (g *Gateway) services() []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	seen := make(map[string]bool)
	var out []string
	for _, rt := range g.routes {
		if !seen[rt.Service] {
			seen[rt.Service] = true
			out = append(out, rt.Service)
		}
	}
	sort.Strings(out)
	return out
}
