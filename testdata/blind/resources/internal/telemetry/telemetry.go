// Package telemetry provides tracing and timing helpers that return their
// "finish" function, and services that use them.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

// trace logs entry and returns a func that logs exit with the duration.
func trace(logf func(string, ...any), name string) func() {
	start := time.Now()
	logf("enter %s", name)
	return func() { logf("exit %s after %s", name, time.Since(start)) }
}

// opStats accumulates latencies of one operation.
type opStats struct {
	count   atomic.Int64
	totalNs atomic.Int64
}

// Metrics records operation latencies without locks.
type Metrics struct {
	ops   sync.Map // op name -> *opStats
	calls atomic.Int64
}

// NewMetrics returns an empty registry.
func NewMetrics() *Metrics { return &Metrics{} }

func (m *Metrics) stats(op string) *opStats {
	st, _ := m.ops.LoadOrStore(op, new(opStats))
	return st.(*opStats)
}

// Timer starts timing op; call the returned func to record the latency.
func (m *Metrics) Timer(op string) func() {
	start := time.Now()
	m.calls.Add(1)
	return func() {
		st := m.stats(op)
		st.count.Add(1)
		st.totalNs.Add(int64(time.Since(start)))
	}
}

// Store is a small key/value store instrumented with the helpers above.
type Store struct {
	mu       sync.RWMutex
	data     map[string][]byte
	metrics  *Metrics
	log      *log.Logger
	inflight atomic.Int64
	gen      atomic.Int64
	pinned   atomic.Int64
	reserved sync.Map // key -> reservation time
}

// NewStore builds a store.
func NewStore(logger *log.Logger) *Store {
	return &Store{data: make(map[string][]byte), metrics: NewMetrics(), log: logger}
}

// Sync defers trace(...) without calling its result: "enter" is logged at
// the end of Sync and "exit" is never logged.
func (s *Store) Sync(w func(map[string][]byte) error) error {
	defer trace(s.log.Printf, "Store.Sync") // HAZ defer-func-result-not-called
	s.mu.RLock()
	snapshot := make(map[string][]byte, len(s.data))
	for k, v := range s.data {
		snapshot[k] = v
	}
	s.mu.RUnlock()
	return w(snapshot)
}

// SyncTraced uses the defer f()() idiom.
func (s *Store) SyncTraced(w func(map[string][]byte) error) error {
	defer trace(s.log.Printf, "Store.Sync")() // ok: the returned func is deferred
	s.mu.RLock()
	snapshot := make(map[string][]byte, len(s.data))
	for k, v := range s.data {
		snapshot[k] = v
	}
	s.mu.RUnlock()
	return w(snapshot)
}

// Get starts the timer at exit and drops the recorder.
func (s *Store) Get(key string) ([]byte, bool) {
	defer s.metrics.Timer("get") // HAZ defer-func-result-not-called
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

// GetTimed calls the recorder at exit.
func (s *Store) GetTimed(key string) ([]byte, bool) {
	defer s.metrics.Timer("get")() // ok
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

// Put stores the recorder in a variable and defers the call.
func (s *Store) Put(key string, v []byte) {
	done := s.metrics.Timer("put")
	defer done() // ok: done is the recorder
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = v
}

// beginOp counts an in-flight operation and returns its completion func.
func (s *Store) beginOp() func() {
	s.inflight.Add(1)
	return func() { s.inflight.Add(-1) }
}

// Delete defers beginOp itself: the counter goes up at exit and never down,
// so graceful shutdown waits for in-flight operations forever.
func (s *Store) Delete(key string) bool {
	defer s.beginOp() // HAZ defer-func-result-not-called
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data[key]
	delete(s.data, key)
	return ok
}

// DeleteCounted is the idiom.
func (s *Store) DeleteCounted(key string) bool {
	defer s.beginOp()() // ok
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data[key]
	delete(s.data, key)
	return ok
}

// pinGeneration pins the current generation against compaction and returns
// the unpin func.
func (s *Store) pinGeneration() func() error {
	s.pinned.Add(1)
	gen := s.gen.Load()
	return func() error {
		if s.pinned.Add(-1) < 0 {
			return fmt.Errorf("generation %d unpinned twice", gen)
		}
		return nil
	}
}

// Scan returns a func() error; deferring the outer call pins at exit and
// never unpins.
func (s *Store) Scan(prefix string, fn func(string, []byte)) {
	defer s.pinGeneration() // HAZ defer-func-result-not-called
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, v := range s.data {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			fn(k, v)
		}
	}
}

// ScanPinned keeps the unpin func and checks its error at exit.
func (s *Store) ScanPinned(prefix string, fn func(string, []byte)) {
	unpin := s.pinGeneration()
	defer func() {
		if err := unpin(); err != nil {
			s.log.Printf("scan: %v", err)
		}
	}() // ok
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, v := range s.data {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			fn(k, v)
		}
	}
}

// Tracer starts spans.
type Tracer interface {
	Start(ctx context.Context, name string) func()
}

type logTracer struct{ log *log.Logger }

func (t logTracer) Start(_ context.Context, name string) func() {
	start := time.Now()
	return func() { t.log.Printf("span %s: %s", name, time.Since(start)) }
}

// API is an HTTP front end for Store.
type API struct {
	store   *Store
	tracer  Tracer
	metrics *Metrics
}

// NewAPI wires the API.
func NewAPI(s *Store, logger *log.Logger) *API {
	return &API{store: s, tracer: logTracer{log: logger}, metrics: s.metrics}
}

// ServeHTTP defers an interface method that returns the span's end func.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer a.tracer.Start(r.Context(), "api."+r.Method) // HAZ defer-func-result-not-called
	v, ok := a.store.Get(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(v)
}

// ServeTraced ends the span properly.
func (a *API) ServeTraced(w http.ResponseWriter, r *http.Request) {
	defer a.tracer.Start(r.Context(), "api."+r.Method)() // ok
	v, ok := a.store.Get(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(v)
}

// HandleStats times itself with the metrics registry but never records.
func (a *API) HandleStats(w http.ResponseWriter, r *http.Request) {
	defer a.metrics.Timer("stats") // HAZ defer-func-result-not-called
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "calls %d\ninflight %d\n", a.metrics.calls.Load(), a.store.inflight.Load())
}

// instrumented is embedded to give a type a promoted Timer method.
type instrumented struct {
	*Metrics
}

// LRU is a tiny cache with embedded instrumentation.
type LRU struct {
	instrumented
	mu    sync.Mutex
	items map[string]string
	order []string
	max   int
}

// NewLRU builds a cache.
func NewLRU(max int) *LRU {
	return &LRU{instrumented: instrumented{NewMetrics()}, items: make(map[string]string), max: max}
}

// Evict uses the promoted Timer method and forgets the second call.
func (c *LRU) Evict() (string, bool) {
	defer c.Timer("lru.evict") // HAZ defer-func-result-not-called
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) == 0 {
		return "", false
	}
	k := c.order[0]
	c.order = c.order[1:]
	delete(c.items, k)
	return k, true
}

// EvictTimed uses the promoted method correctly.
func (c *LRU) EvictTimed() (string, bool) {
	defer c.Timer("lru.evict")() // ok
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) == 0 {
		return "", false
	}
	k := c.order[0]
	c.order = c.order[1:]
	delete(c.items, k)
	return k, true
}

// Gauge counts active holders per key.
type Gauge[K comparable] struct {
	m sync.Map // K -> *atomic.Int64
}

// NewGauge builds a gauge.
func NewGauge[K comparable]() *Gauge[K] { return &Gauge[K]{} }

func (g *Gauge[K]) counter(k K) *atomic.Int64 {
	c, _ := g.m.LoadOrStore(k, new(atomic.Int64))
	return c.(*atomic.Int64)
}

// track increments k and returns the decrement.
func track[K comparable](g *Gauge[K], k K) func() {
	c := g.counter(k)
	c.Add(1)
	return func() { c.Add(-1) }
}

// WithTracked is generic; it defers track itself, so the gauge is bumped at
// exit and never decremented.
func WithTracked[K comparable](g *Gauge[K], k K, fn func() error) error {
	defer track(g, k) // HAZ defer-func-result-not-called
	return fn()
}

// WithTrackedOK uses the idiom.
func WithTrackedOK[K comparable](g *Gauge[K], k K, fn func() error) error {
	defer track(g, k)() // ok
	return fn()
}

// Compact runs a compaction; the deferred literal returns the func that
// should have restored the generation counter, but nobody calls it.
func (s *Store) Compact() int {
	defer func() func() {
		prev := s.gen.Add(1)
		return func() { s.gen.Store(prev) } // HAZ defer-ineffective-return
	}() // HAZ defer-func-result-not-called
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.data {
		if len(v) == 0 {
			delete(s.data, k)
			n++
		}
	}
	return n
}

// ReleaseFunc gives back a limiter slot.
type ReleaseFunc func()

// Limiter bounds concurrency without blocking.
type Limiter struct {
	used atomic.Int64
	max  int64
}

// Acquire takes a slot (possibly over budget) and returns its release.
func (l *Limiter) Acquire() ReleaseFunc {
	l.used.Add(1)
	return func() { l.used.Add(-1) }
}

// Over reports whether the limiter is over budget.
func (l *Limiter) Over() bool { return l.used.Load() > l.max }

// Throttled defers Acquire (a named func type): the slot is taken at exit
// and never released.
func Throttled(l *Limiter, fn func() error) error {
	defer l.Acquire() // HAZ defer-func-result-not-called
	if l.Over() {
		return fmt.Errorf("limiter: over budget")
	}
	return fn()
}

// ThrottledOK acquires now and releases at exit.
func ThrottledOK(l *Limiter, fn func() error) error {
	defer l.Acquire()() // ok
	if l.Over() {
		return fmt.Errorf("limiter: over budget")
	}
	return fn()
}

// startSpan is a package-level func variable returning a finish func.
var startSpan = func(name string) func() {
	start := time.Now()
	return func() { log.Printf("span %s: %s", name, time.Since(start)) }
}

// Flush defers a call through a func variable and drops its result.
func (s *Store) Flush(w func(string, []byte) error) error {
	defer startSpan("store.flush") // HAZ defer-func-result-not-called
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, v := range s.data {
		if err := w(k, v); err != nil {
			return err
		}
	}
	return nil
}

// FlushSpanned calls the result.
func (s *Store) FlushSpanned(w func(string, []byte) error) error {
	defer startSpan("store.flush")() // ok
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, v := range s.data {
		if err := w(k, v); err != nil {
			return err
		}
	}
	return nil
}

// startCPUProfile returns two results, a stop func and an error.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// Profile uses a two-result starter; the stop func is checked for an error
// and deferred through a closure that joins its error.
func (s *Store) Profile(path string, fn func()) (err error) {
	stop, err := startCPUProfile(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }() // ok: stop is a func value, called
	fn()
	return nil
}

// release frees a reservation and reports whether one existed.
func (s *Store) release(key string) bool {
	_, ok := s.reserved.LoadAndDelete(key)
	return ok
}

// Reserve defers a call whose result is a bool, not a func.
func (s *Store) Reserve(key string, fn func() error) error {
	s.reserved.Store(key, time.Now())
	defer s.release(key) // ok: bool result, nothing to call
	return fn()
}

// onExit runs fn when called; it is meant to be deferred with an
// already-started recorder as its argument.
func onExit(fn func()) { fn() }

// Warm starts the timer now (argument evaluation) and records it at exit.
func (s *Store) Warm(keys []string) int {
	defer onExit(s.metrics.Timer("warm")) // ok: the timer's result is passed to onExit
	n := 0
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, k := range keys {
		if _, ok := s.data[k]; ok {
			n++
		}
	}
	return n
}
