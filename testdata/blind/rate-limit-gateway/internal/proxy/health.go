package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// probe asks an upstream for its health endpoint.
func probe(ctx context.Context, client *http.Client, target *url.URL) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.JoinPath("healthz").String(), nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("upstream %s: %s", target.Host, resp.Status)
	}
	return nil
}

// HealthHandler serves /_health/upstream?route=NAME by probing the upstream
// of that route.
type HealthHandler struct {
	table   *Table
	client  *http.Client
	timeout time.Duration
}

// NewHealthHandler returns the upstream health handler.
func NewHealthHandler(t *Table, client *http.Client, timeout time.Duration) *HealthHandler {
	return &HealthHandler{table: t, client: client, timeout: timeout}
}

func (h *HealthHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := h.table.Get(r.URL.Query().Get("route"))
	if rt == nil {
		http.NotFound(w, r)
		return
	}
	ch := make(chan error)
	go func() {
		ch <- probe(r.Context(), h.client, rt.target) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-ch:
		writeHealth(w, rt.Name(), err)
	case <-time.After(h.timeout):
		http.Error(w, "upstream probe timed out", http.StatusGatewayTimeout)
	}
}

func writeHealth(w http.ResponseWriter, name string, err error) {
	status := map[string]any{"route": name, "healthy": err == nil}
	code := http.StatusOK
	if err != nil {
		status["error"] = err.Error()
		code = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(status)
}

// ServeAll probes every upstream concurrently, bounded by the request's
// context and the handler timeout.
func (h *HealthHandler) ServeAll(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	routes := h.table.snapshot()
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(routes))
	for _, rt := range routes {
		go func(rt *Route) {
			results <- result{rt.Name(), probe(ctx, h.client, rt.target)}
		}(rt)
	}
	report := make(map[string]string, len(routes))
	for range routes {
		select {
		case res := <-results:
			if res.err != nil {
				report[res.name] = res.err.Error()
			} else {
				report[res.name] = "ok"
			}
		case <-ctx.Done():
			http.Error(w, "probes timed out", http.StatusGatewayTimeout)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(report)
}

// probeAllInto probes every route and stores a line per route in report; it
// skips the probes once ctx is done.
func (h *HealthHandler) probeAllInto(ctx context.Context, report map[string]string) {
	routes := h.table.snapshot()
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, rt := range routes {
		wg.Add(1)
		go func(rt *Route) {
			if ctx.Err() != nil {
				return
			}
			status := "ok"
			if err := probe(ctx, h.client, rt.target); err != nil {
				status = err.Error()
			}
			mu.Lock()
			report[rt.Name()] = status
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(rt)
	}
	wg.Wait()
}

// Report returns the health of every route, probing with the handler timeout.
func (h *HealthHandler) Report(ctx context.Context) map[string]string {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	report := make(map[string]string)
	h.probeAllInto(ctx, report)
	return report
}

// ProbeRoutes probes the named routes concurrently and returns the names of
// the unhealthy ones.
func (h *HealthHandler) ProbeRoutes(ctx context.Context, names []string) []string {
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		unhealthy []string
	)
	for _, name := range names {
		name := name
		rt := h.table.Get(name)
		if rt == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := probe(ctx, h.client, rt.target); err != nil {
				mu.Lock()
				unhealthy = append(unhealthy, name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return unhealthy
}
