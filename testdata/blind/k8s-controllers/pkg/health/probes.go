// Package health serves liveness and readiness probes.
package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"
)

// CheckFunc reports the health of one dependency.
type CheckFunc func(ctx context.Context) error

// Checker aggregates health checks and readiness flags.
type Checker struct {
	mu      sync.RWMutex
	checks  map[string]CheckFunc
	ready   map[string]bool
	timeout time.Duration
	log     *log.Logger
}

// NewChecker returns a checker whose probes give up after timeout.
func NewChecker(timeout time.Duration, logger *log.Logger) *Checker {
	if logger == nil {
		logger = log.Default()
	}
	return &Checker{
		checks:  map[string]CheckFunc{},
		ready:   map[string]bool{},
		timeout: timeout,
		log:     logger,
	}
}

// AddCheck registers a named check.
func (c *Checker) AddCheck(name string, fn CheckFunc) error {
	if fn == nil {
		return errors.New("health: nil check")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.checks[name]; dup {
		return fmt.Errorf("health: check %q already registered", name)
	}
	c.checks[name] = fn
	return nil
}

// SetReady records the readiness of one component.
func (c *Checker) SetReady(component string, ready bool) {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	c.ready[component] = ready
}

// IsReady reports whether every registered component is ready.
func (c *Checker) IsReady() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.ready) == 0 {
		return false
	}
	for _, ok := range c.ready {
		if !ok {
			return false
		}
	}
	return true
}

type namedCheck struct {
	name string
	fn   CheckFunc
}

func (c *Checker) snapshotChecks() []namedCheck {
	c.mu.RLock()
	out := make([]namedCheck, 0, len(c.checks))
	for name, fn := range c.checks {
		out = append(out, namedCheck{name: name, fn: fn})
	}
	c.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// runChecks runs every check concurrently; a panicking check counts as
// failed.
func (c *Checker) runChecks(ctx context.Context) map[string]error {
	checks := c.snapshotChecks()
	results := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, chk := range checks {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					results[i] = fmt.Errorf("check panicked: %v", r)
				}
			}()
			results[i] = chk.fn(ctx)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	out := make(map[string]error, len(checks))
	for i, chk := range checks {
		out[chk.name] = results[i]
	}
	return out
}

// LogFailures runs every check once and logs the failures. Neither this
// function nor any check goroutine can be taken down by a panicking check.
func (c *Checker) LogFailures(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("health: log failures: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, chk := range c.snapshotChecks() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					c.log.Printf("health: check %s panicked: %v", chk.name, r)
				}
			}()
			if err := chk.fn(ctx); err != nil {
				c.log.Printf("health: check %s failed: %v", chk.name, err)
			}
		}()
	}
	wg.Wait()
}

// Healthz runs every check and answers 200 only if all pass.
func (c *Checker) Healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), c.timeout)
	defer cancel()
	results := c.runChecks(ctx)
	body := make(map[string]string, len(results))
	code := http.StatusOK
	for name, err := range results {
		if err != nil {
			body[name] = err.Error()
			code = http.StatusServiceUnavailable
			continue
		}
		body[name] = "ok"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		c.log.Printf("health: write response: %v", err)
	}
}

// Readyz answers 200 once every component reported ready.
func (c *Checker) Readyz(w http.ResponseWriter, _ *http.Request) {
	if !c.IsReady() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// Livez answers 200 while the process can serve HTTP at all.
func Livez(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// ServeMux returns a mux with /healthz, /readyz and /livez.
func (c *Checker) ServeMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", c.Healthz)
	mux.HandleFunc("/readyz", c.Readyz)
	mux.HandleFunc("/livez", Livez)
	return mux
}

// PingCheck returns a check that GETs url and expects 200.
func PingCheck(client *http.Client, url string) CheckFunc {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
		return nil
	}
}

// ThresholdCheck fails once fn has failed more than n times in a row.
func ThresholdCheck(n int, fn CheckFunc) CheckFunc {
	var mu sync.Mutex
	failures := 0
	return func(ctx context.Context) error {
		err := fn(ctx)
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			failures = 0
			return nil
		}
		failures++
		if failures > n {
			return fmt.Errorf("%d consecutive failures: %w", failures, err)
		}
		return nil
	}
}
