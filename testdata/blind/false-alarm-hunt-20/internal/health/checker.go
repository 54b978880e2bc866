// Package health runs readiness checks for the /healthz endpoint.
package health

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"

	"example.com/fah20/internal/pool"
	"example.com/fah20/internal/web"
)

// Check reports whether one dependency is usable.
type Check func(ctx context.Context) error

// Result is the outcome of one check.
type Result struct {
	Name  string        `json:"name"`
	Error string        `json:"error,omitempty"`
	Took  time.Duration `json:"took_ns"`
}

// Checker runs registered checks with a shared deadline.
type Checker struct {
	checks  map[string]Check
	timeout time.Duration

	mu   sync.Mutex
	last []Result
}

// NewChecker returns a checker whose runs are bounded by timeout.
func NewChecker(timeout time.Duration) *Checker {
	return &Checker{checks: make(map[string]Check), timeout: timeout}
}

// Register adds a check; call before serving.
func (c *Checker) Register(name string, fn Check) { c.checks[name] = fn }

// RunAll runs every check concurrently and collects every result before
// returning; checks are expected to honour ctx.
func (c *Checker) RunAll(ctx context.Context) []Result {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	results := make(chan Result)
	for name, fn := range c.checks {
		go func() {
			start := time.Now()
			res := Result{Name: name}
			if err := fn(ctx); err != nil {
				res.Error = err.Error()
			}
			res.Took = time.Since(start)
			results <- res
		}()
	}
	out := make([]Result, 0, len(c.checks))
	for range len(c.checks) {
		out = append(out, <-results)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	c.mu.Lock()
	c.last = out
	c.mu.Unlock()
	return out
}

// Last returns the results of the most recent run.
func (c *Checker) Last() []Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Result(nil), c.last...)
}

// ServeHTTP answers 200 when every check passed and 503 otherwise.
func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	results := c.RunAll(r.Context())
	status := http.StatusOK
	for _, res := range results {
		if res.Error != "" {
			status = http.StatusServiceUnavailable
			break
		}
	}
	_ = web.WriteJSON(w, status, map[string]any{"checks": results})
}

// HTTPCheck fails when url does not answer below 500.
func HTTPCheck(client *http.Client, url string) Check {
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
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		if resp.StatusCode >= 500 {
			return fmt.Errorf("%s: status %d", url, resp.StatusCode)
		}
		return nil
	}
}

// PoolCheck borrows a backend connection and pings it.
func PoolCheck(p *pool.Pool) Check {
	return func(ctx context.Context) error {
		c, err := p.Get(ctx)
		defer c.Release() // HAZ defer-before-error-check
		if err != nil {
			return fmt.Errorf("backend pool: %w", err)
		}
		return c.Ping(ctx)
	}
}

// PoolCheckWith is PoolCheck through the pool's own borrow helper.
func PoolCheckWith(p *pool.Pool) Check {
	return func(ctx context.Context) error {
		return p.WithConn(ctx, func(c *pool.Conn) error { return c.Ping(ctx) })
	}
}

// FirstHealthy returns the name of the first check that passes, for picking
// a replica to read from.
func FirstHealthy(ctx context.Context, checks map[string]Check) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ok := make(chan string)
	for name, fn := range checks {
		go func() {
			if fn(ctx) == nil {
				ok <- name // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case name := <-ok:
		return name, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// FirstHealthyBuffered is FirstHealthy with room for every check's answer,
// so the losers finish their send and exit.
func FirstHealthyBuffered(ctx context.Context, checks map[string]Check) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ok := make(chan string, len(checks))
	for name, fn := range checks {
		go func() {
			if fn(ctx) == nil {
				ok <- name
			}
		}()
	}
	select {
	case name := <-ok:
		return name, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
