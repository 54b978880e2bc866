// Package health checks the database replicas behind the proxy.
package health

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// ErrMaintenance is returned for replicas that are drained for maintenance.
var ErrMaintenance = errors.New("health: replica in maintenance")

// ErrNoneHealthy is returned when no replica answered in time.
var ErrNoneHealthy = errors.New("health: no healthy replica")

// Replica is one database endpoint.
type Replica struct {
	Name        string
	Addr        string
	Ping        func(ctx context.Context) error
	Maintenance bool
}

// Check is a custom health check, e.g. replication lag below a bound.
type Check func(ctx context.Context) error

// Result is the outcome of one replica check.
type Result struct {
	Name    string
	Latency time.Duration
	Err     error
}

// Checker pings replicas with a per-ping timeout.
type Checker struct {
	replicas []Replica
	timeout  time.Duration
	logger   *log.Logger
	onRound  func() // optional, set with OnRound; called after each readiness round
}

// NewChecker returns a checker for replicas.
func NewChecker(timeout time.Duration, logger *log.Logger, replicas ...Replica) *Checker {
	if timeout <= 0 {
		timeout = time.Second
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Checker{replicas: replicas, timeout: timeout, logger: logger}
}

// OnRound registers fn to run after every Readiness round, e.g. to bump a
// metric. Call it before the checker is used.
func (c *Checker) OnRound(fn func()) { c.onRound = fn }

// Readiness reports whether at least quorum replicas answer.
func (c *Checker) Readiness(ctx context.Context, quorum int) error {
	defer c.onRound() // HAZ defer-nil-func
	results := c.CheckAll(ctx)
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
		}
	}
	if ok < quorum {
		return fmt.Errorf("health: %d of %d replicas healthy, need %d", ok, len(results), quorum)
	}
	return nil
}

// Liveness reports whether any replica answers; the round hook is optional.
func (c *Checker) Liveness(ctx context.Context) error {
	if hook := c.onRound; hook != nil {
		defer hook()
	}
	for name, err := range c.CheckAll(ctx) {
		if err == nil {
			c.logger.Printf("health: %s is live", name)
			return nil
		}
	}
	return ErrNoneHealthy
}

func (c *Checker) checkOne(ctx context.Context, r Replica) error {
	if r.Maintenance {
		return ErrMaintenance
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := r.Ping(ctx); err != nil {
		return fmt.Errorf("%s: %w", r.Name, err)
	}
	return nil
}

// CheckAll pings every replica concurrently and returns the errors by name.
func (c *Checker) CheckAll(ctx context.Context) map[string]error {
	results := make(map[string]error, len(c.replicas))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range c.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.checkOne(ctx, r)
			mu.Lock()
			results[r.Name] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

// FirstHealthy returns the first replica that answers a ping.
func (c *Checker) FirstHealthy(ctx context.Context) (string, error) {
	ch := make(chan string, len(c.replicas))
	defer close(ch) // HAZ defer-close-chan-with-sender
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for _, r := range c.replicas {
		go func() {
			if c.checkOne(ctx, r) == nil {
				ch <- r.Name
			}
		}()
	}
	select {
	case name := <-ch:
		return name, nil
	case <-timer.C:
		return "", ErrNoneHealthy
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Fastest returns the healthy replica with the lowest ping latency. The
// sender goroutines are joined before the channel is closed.
func (c *Checker) Fastest(ctx context.Context) (string, error) {
	ch := make(chan Result)
	var wg sync.WaitGroup
	for _, r := range c.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			if err := c.checkOne(ctx, r); err != nil {
				return
			}
			ch <- Result{Name: r.Name, Latency: time.Since(start)}
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	best := Result{Latency: -1}
	for res := range ch {
		if best.Latency < 0 || res.Latency < best.Latency {
			best = res
		}
	}
	if best.Latency < 0 {
		return "", ErrNoneHealthy
	}
	return best.Name, nil
}

// Stream sends one Result per replica on out and closes out once every
// check has finished. It stops sending when ctx is cancelled.
func (c *Checker) Stream(ctx context.Context, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, r := range c.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := c.checkOne(ctx, r)
			select {
			case out <- Result{Name: r.Name, Latency: time.Since(start), Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// PingAll pings every replica; errs[i] belongs to replicas[i].
func (c *Checker) PingAll(ctx context.Context) []error {
	errs := make([]error, len(c.replicas))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(c.replicas); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = c.checkOne(ctx, c.replicas[i])
		}()
	}
	wg.Wait()
	c.logger.Printf("health: pinged %d replicas", i)
	return errs
}

// Latencies pings every replica and returns the latency of each healthy one.
func (c *Checker) Latencies(ctx context.Context) map[string]time.Duration {
	lat := make([]time.Duration, len(c.replicas))
	var wg sync.WaitGroup
	for i := range c.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			if err := c.checkOne(ctx, c.replicas[i]); err != nil {
				lat[i] = -1
				return
			}
			lat[i] = time.Since(start)
		}()
	}
	wg.Wait()
	out := make(map[string]time.Duration, len(lat))
	for i, d := range lat {
		if d >= 0 {
			out[c.replicas[i].Name] = d
		}
	}
	return out
}

// CountHealthy pings every replica and counts those that answer. Replicas
// in maintenance are not counted either way.
func (c *Checker) CountHealthy(ctx context.Context) int {
	var healthy atomic.Int32
	var wg sync.WaitGroup
	for _, r := range c.replicas {
		wg.Add(1)
		go func() {
			err := c.checkOne(ctx, r)
			if errors.Is(err, ErrMaintenance) {
				return
			}
			if err == nil {
				healthy.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(healthy.Load())
}

// RunChecks runs the custom checks concurrently and returns the names of
// the failing ones. A check that panics must not crash the proxy.
func (c *Checker) RunChecks(ctx context.Context, checks map[string]Check) (failed []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("health: check panicked: %v", r)
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := check(ctx); err != nil {
				mu.Lock()
				failed = append(failed, name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(failed)
	return failed, nil
}

// RunChecksIsolated is RunChecks with a recover in every check goroutine:
// a panicking check counts as failed and is logged.
func (c *Checker) RunChecksIsolated(ctx context.Context, checks map[string]Check) []string {
	names := make([]string, 0, len(checks))
	for name := range checks {
		names = append(names, name)
	}
	sort.Strings(names)
	failed := make([]bool, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					c.logger.Printf("health: check %s panicked: %v", name, r)
					failed[i] = true
				}
			}()
			failed[i] = checks[name](ctx) != nil
		}()
	}
	wg.Wait()
	var out []string
	for i, f := range failed {
		if f {
			out = append(out, names[i])
		}
	}
	return out
}

// Watch runs CheckAll every interval and passes the results to report until
// ctx is cancelled.
func (c *Checker) Watch(ctx context.Context, interval time.Duration, report func(map[string]error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			report(c.CheckAll(ctx))
		}
	}
}
