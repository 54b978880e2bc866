// Package health runs liveness/readiness checks and serves them over HTTP.
package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// CheckFunc reports nil when the dependency is healthy.
type CheckFunc func(ctx context.Context) error

// Check is a named CheckFunc.
type Check struct {
	Name string
	Fn   CheckFunc
}

// ErrSkipped lets a check opt out of a round (e.g. feature disabled).
var ErrSkipped = errors.New("health: skipped")

// Checker runs checks with a per-check timeout.
type Checker struct {
	Timeout time.Duration
	// OnCheck, when set, is called before each check; the returned func is
	// called after it.
	OnCheck func(name string) func()

	mu     sync.Mutex
	checks []Check
	last   map[string]error
}

// New returns a checker with the given per-check timeout.
func New(timeout time.Duration) *Checker {
	return &Checker{Timeout: timeout, last: make(map[string]error)}
}

// Register adds a check; names must be unique.
func (c *Checker) Register(name string, fn CheckFunc) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	for _, chk := range c.checks {
		if chk.Name == name {
			return fmt.Errorf("health: duplicate check %q", name)
		}
	}
	c.checks = append(c.checks, Check{Name: name, Fn: fn})
	c.mu.Unlock()
	return nil
}

// MustRegister is Register with the lock held by defer.
func (c *Checker) MustRegister(name string, fn CheckFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, chk := range c.checks {
		if chk.Name == name {
			panic(fmt.Sprintf("health: duplicate check %q", name))
		}
	}
	c.checks = append(c.checks, Check{Name: name, Fn: fn})
}

func (c *Checker) list() []Check {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Check(nil), c.checks...)
}

// runOne runs chk with the per-check timeout.
func (c *Checker) runOne(ctx context.Context, chk Check) error {
	var done func()
	if c.OnCheck != nil {
		done = c.OnCheck(chk.Name)
	}
	defer done() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	return chk.Fn(ctx)
}

// runGuarded runs chk and turns a panic into an error.
func (c *Checker) runGuarded(ctx context.Context, chk Check) (err error) {
	defer func() {
		report := func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				err = fmt.Errorf("health: check %s panicked: %v", chk.Name, v)
			}
		}
		report()
	}()
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	return chk.Fn(ctx)
}

// runSafe is runGuarded with recover called directly by the deferred func.
func (c *Checker) runSafe(ctx context.Context, chk Check) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("health: check %s panicked: %v", chk.Name, v)
		}
	}()
	done := func() {}
	if c.OnCheck != nil {
		done = c.OnCheck(chk.Name)
	}
	defer done() // ok: never nil
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	return chk.Fn(ctx)
}

// CheckAll runs every check concurrently.
func (c *Checker) CheckAll(ctx context.Context) map[string]error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	res := make(map[string]error)
	for _, chk := range c.list() {
		wg.Add(1)
		go func() {
			err := c.runSafe(ctx, chk)
			if errors.Is(err, ErrSkipped) {
				return
			}
			mu.Lock()
			res[chk.Name] = err
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return res
}

// Snapshot runs every check and remembers the results.
func (c *Checker) Snapshot(ctx context.Context) map[string]error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	res := make(map[string]error)
	for _, chk := range c.list() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.runSafe(ctx, chk)
			if errors.Is(err, ErrSkipped) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			res[chk.Name] = err
		}()
	}
	wg.Wait()
	c.mu.Lock()
	for k, v := range res {
		c.last[k] = v
	}
	c.mu.Unlock()
	return res
}

// RunStaggered starts the checks one after another, spaced by gap, and
// returns how many were started.
func (c *Checker) RunStaggered(ctx context.Context, gap time.Duration) int {
	checks := c.list()
	var i int
	for i = 0; i < len(checks); i++ {
		go func() { // HAZ loop-var-capture
			c.runOne(ctx, checks[i])
		}()
		time.Sleep(gap)
	}
	return i
}

// RunStaggeredOwn declares the counter in the loop header.
func (c *Checker) RunStaggeredOwn(ctx context.Context, gap time.Duration) int {
	checks := c.list()
	for i := 0; i < len(checks); i++ {
		go func() {
			c.runSafe(ctx, checks[i]) // ok: per-iteration i under Go 1.22
		}()
		time.Sleep(gap)
	}
	return len(checks)
}

type report struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// ServeHTTP answers 200 when every check passes, 503 otherwise.
func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*c.Timeout)
	defer cancel() // ok: cancel does not block
	res := c.Snapshot(ctx)
	rep := report{Status: "ok", Checks: make(map[string]string, len(res))}
	code := http.StatusOK
	for name, err := range res {
		if err != nil {
			rep.Checks[name] = err.Error()
			rep.Status, code = "fail", http.StatusServiceUnavailable
			continue
		}
		rep.Checks[name] = "ok"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(rep)
}

// Live answers as soon as the ping check does, or 503 after Timeout.
func (c *Checker) Live(ping CheckFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		errc := make(chan error)
		go func() { errc <- ping(r.Context()) }() // HAZ goroutine-blocked-send
		select {
		case err := <-errc:
			if err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("ok\n"))
		case <-time.After(c.Timeout):
			http.Error(w, "timeout", http.StatusServiceUnavailable)
		}
	}
}

// Ready is Live with a buffered result channel.
func (c *Checker) Ready(ping CheckFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		errc := make(chan error, 1) // ok: the sender can always complete
		go func() { errc <- ping(r.Context()) }()
		select {
		case err := <-errc:
			if err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("ready\n"))
		case <-time.After(c.Timeout):
			http.Error(w, "timeout", http.StatusServiceUnavailable)
		}
	}
}

// TCPCheck reports whether addr accepts connections.
func TCPCheck(addr string) CheckFunc {
	return func(ctx context.Context) error {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

// HTTPCheck reports whether url answers 2xx.
func HTTPCheck(client *http.Client, url string) CheckFunc {
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
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("health: %s returned %s", url, resp.Status)
		}
		return nil
	}
}
