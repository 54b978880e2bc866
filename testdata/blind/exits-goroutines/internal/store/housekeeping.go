package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// LatencyStats accumulates request latencies.
type LatencyStats struct {
	mu    sync.Mutex
	n     int64
	total time.Duration
	max   time.Duration
}

// Record adds one observation. The deferred unlock is the last statement of
// the body: it is exactly a direct call, only more expensive.
func (s *LatencyStats) Record(d time.Duration) {
	s.mu.Lock()
	s.n++
	s.total += d
	if d > s.max {
		s.max = d
	}
	defer s.mu.Unlock() // HAZ unnecessary-defer
}

// Snapshot returns the current numbers; the deferred unlock must run after
// the result expression is evaluated.
func (s *LatencyStats) Snapshot() (n int64, avg, peak time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: the results are read under the lock
	return s.n, s.averageLocked(), s.max
}

func (s *LatencyStats) averageLocked() time.Duration {
	if s.n == 0 {
		return 0
	}
	return s.total / time.Duration(s.n)
}

// HealthClient pings a dependency's health endpoint.
type HealthClient struct {
	hc  *http.Client
	url string
}

// Ping returns nil when the dependency answers 200.
func (c *HealthClient) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("health %s: %s", c.url, resp.Status)
	}
	defer resp.Body.Close() // HAZ unnecessary-defer
	return nil
}

// FetchStatus returns the decoded status document; the body must stay open
// while it is decoded, which happens in the return statement.
func (c *HealthClient) FetchStatus(ctx context.Context) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/status", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: the body is read by the return expression
	return decodeStatus(resp.Body)
}

func decodeStatus(r io.Reader) (map[string]any, error) {
	var m map[string]any
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// compactWorker compacts segments from jobs. Someone "made sure" Done runs
// by deferring it, but at the very end of the body.
func compactWorker(jobs <-chan string, wg *sync.WaitGroup, compact func(string) error) {
	for seg := range jobs {
		if err := compact(seg); err != nil {
			log.Printf("compact %s: %v", seg, err)
		}
	}
	defer wg.Done() // HAZ unnecessary-defer
}

// indexWorker is the usual shape: Done deferred first, so it runs however
// the body ends.
func indexWorker(jobs <-chan string, wg *sync.WaitGroup, index func(string) error) {
	defer wg.Done() // ok: registered first, runs on every exit path
	for doc := range jobs {
		if err := index(doc); err != nil {
			log.Printf("index %s: %v", doc, err)
		}
	}
}

// Prober checks TCP reachability.
type Prober struct {
	dialer  net.Dialer
	timeout time.Duration
}

// Reachable reports whether addr accepts TCP connections.
func (p *Prober) Reachable(addr string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	conn, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		cancel()
		return false
	}
	conn.Close()
	defer cancel() // HAZ unnecessary-defer
	return true
}

// Resolve looks host up with a timeout; the context must stay live while the
// lookup in the return statement runs.
func (p *Prober) Resolve(host string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	defer cancel() // ok: the lookup in the return statement needs ctx
	return net.DefaultResolver.LookupHost(ctx, host)
}

// LRU is a tiny least-recently-used set of keys.
type LRU struct {
	mu    sync.Mutex
	items map[string]time.Time
	limit int
}

// Purge drops everything older than cutoff and logs how much went.
func (c *LRU) Purge(cutoff time.Time) {
	c.mu.Lock()
	n := 0
	for k, t := range c.items {
		if t.Before(cutoff) {
			delete(c.items, k)
			n++
		}
	}
	c.mu.Unlock()
	defer log.Printf("lru: purged %d entries older than %s", n, cutoff.Format(time.RFC3339)) // HAZ unnecessary-defer
}

// Len returns the number of entries; len(c.items) is evaluated under the
// lock, before the deferred unlock.
func (c *LRU) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock() // ok: the result reads c.items under the lock
	return len(c.items)
}

// Queue is a FIFO with blocking Pop.
type Queue[T any] struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []T
}

// NewQueue returns an empty queue.
func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push appends v and wakes one waiter.
func (q *Queue[T]) Push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.cond.Signal()
	defer q.mu.Unlock() // HAZ unnecessary-defer
}

// Pop blocks until an item is available.
func (q *Queue[T]) Pop() T {
	q.mu.Lock()
	defer q.mu.Unlock() // ok: the wait loop and the result read happen under the lock
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// DirtySet tracks keys that need to be synced.
type DirtySet struct {
	tracer *Tracer
	mu     sync.Mutex
	dirty  map[string]bool
}

// MarkClean removes key from the dirty set.
func (d *DirtySet) MarkClean(key string) {
	sp := d.tracer.Start("MarkClean")
	d.mu.Lock()
	delete(d.dirty, key)
	d.mu.Unlock()
	defer sp.End() // HAZ unnecessary-defer
}

// Sync pushes one dirty key. When tracing is on, the span is opened in a
// nested block, and its deferred End still runs after the push below.
func (d *DirtySet) Sync(key string, push func(string) error) error {
	if d.tracer != nil {
		sp := d.tracer.Start("Sync")
		defer sp.End() // ok: last in its block, but the function goes on
	}
	if err := push(key); err != nil {
		return err
	}
	d.MarkClean(key)
	return nil
}

// Monitor polls a readiness function.
type Monitor struct {
	interval time.Duration
	ready    func() bool
}

// WaitReady polls until ready or ctx ends.
func (m *Monitor) WaitReady(ctx context.Context) bool {
	t := time.NewTicker(m.interval)
	for !m.ready() {
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	defer t.Stop() // HAZ unnecessary-defer
	return true
}

// ErrUnknownRoute is returned for routes that are not registered.
var ErrUnknownRoute = errors.New("unknown route")

// RouteTable maps route names to backends.
type RouteTable struct {
	mu sync.Mutex
	m  map[string]string
}

// Remove deletes a route.
func (r *RouteTable) Remove(name string) error {
	r.mu.Lock()
	if _, ok := r.m[name]; !ok {
		r.mu.Unlock()
		return ErrUnknownRoute
	}
	delete(r.m, name)
	defer r.mu.Unlock() // HAZ unnecessary-defer
	return nil
}

// Lookup returns the backend of a route. The map read in the return
// statement must happen before the deferred unlock.
func (r *RouteTable) Lookup(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock() // ok: the map is read by the return statement
	if b, ok := r.m[name]; ok {
		return b, nil
	}
	return "", ErrUnknownRoute
}

const sealMarker = "\n#sealed\n"

// SealSegment appends the seal marker to a segment file. The deferred
// closure writes the Close error into the named result after "return nil"
// has set it, which a direct call before the return could not do.
func SealSegment(path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(sealMarker); err != nil {
		f.Close()
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: updates the named result after return
	return nil
}

// Plugin decodes values with third-party code that may panic.
type Plugin struct {
	decode func([]byte) (map[string]any, error)
}

// SafeDecode turns a plugin panic into an error. recover only works in a
// deferred call, so this defer can never be replaced by a direct call.
func (p *Plugin) SafeDecode(b []byte) (v map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin decode panicked: %v", r)
		}
	}() // ok: recover needs the defer
	return p.decode(b)
}
