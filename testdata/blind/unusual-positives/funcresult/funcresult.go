// Package funcresult has tracing, timing and scoped-state helpers that return
// their cleanup as a func value, used correctly and incorrectly.
package funcresult

import (
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

// Tracer starts a span and returns the function that ends it.
type Tracer interface {
	Start(op string) func()
}

type logTracer struct{ prefix string }

func (t logTracer) Start(op string) func() {
	start := time.Now()
	log.Printf("%s%s: start", t.prefix, op)
	return func() { log.Printf("%s%s: done in %s", t.prefix, op, time.Since(start)) }
}

// NewLogTracer returns a Tracer that logs span boundaries.
func NewLogTracer(prefix string) Tracer { return logTracer{prefix: prefix} }

// HandleOrder defers the interface call itself: the span starts at exit and
// the end func is dropped.
func HandleOrder(tr Tracer, id string) error {
	defer tr.Start("order " + id) // HAZ defer-func-result-not-called
	if id == "" {
		return errors.New("empty order id")
	}
	log.Printf("handling order %s", id)
	return nil
}

// Stopwatch records named laps.
type Stopwatch struct {
	mu   sync.Mutex
	laps map[string]time.Duration
}

// Lap starts timing name and returns the function that stops it.
func (s *Stopwatch) Lap(name string) func() {
	start := time.Now()
	return func() {
		s.mu.Lock()
		s.laps[name] += time.Since(start)
		s.mu.Unlock()
	}
}

// Service reindexes documents and times itself.
type Service struct {
	timer *Stopwatch
	docs  map[string]string
}

// Reindex takes a method value first and then defers calling it: the lap is
// started at exit and never stopped.
func (svc *Service) Reindex(ids []string) int {
	lap := svc.timer.Lap
	defer lap("reindex") // HAZ defer-func-result-not-called
	n := 0
	for _, id := range ids {
		if _, ok := svc.docs[id]; ok {
			n++
		}
	}
	return n
}

// Swap sets *p to v and returns a function restoring the old value.
func Swap[T any](p *T, v T) (restore func()) {
	old := *p
	*p = v
	return func() { *p = old }
}

// Store is a key-value store with a read-only switch.
type Store struct {
	readOnly bool
	data     map[string]string
}

// DryRun means to flip the store read-only for the duration of the call, but
// the generic Swap itself is deferred: the store becomes read-only at exit and
// stays that way.
func (s *Store) DryRun(keys []string) []string {
	defer Swap(&s.readOnly, true) // HAZ defer-func-result-not-called
	var missing []string
	for _, k := range keys {
		if _, ok := s.data[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}

// CleanupFunc undoes a setup step.
type CleanupFunc func()

// tempWorkspace creates a scratch directory and returns its removal.
func tempWorkspace(root string) CleanupFunc {
	dir, err := os.MkdirTemp(root, "build-*")
	if err != nil {
		return func() {}
	}
	return func() { os.RemoveAll(dir) }
}

// BuildSite defers the setup, which returns a named func type; the scratch
// directory is created at exit and never removed.
func BuildSite(root string, pages []string) error {
	defer tempWorkspace(root) // HAZ defer-func-result-not-called
	for _, p := range pages {
		if p == "" {
			return errors.New("empty page name")
		}
	}
	return nil
}

// acquireLease marks the named lease as taken and returns its release.
func (s *Store) acquireLease(name string) func() error {
	s.data["lease/"+name] = "held"
	return func() error {
		delete(s.data, "lease/"+name)
		return nil
	}
}

// Compact defers a method returning func() error; the lease is taken at exit
// and never released.
func (s *Store) Compact() error {
	defer s.acquireLease("compaction") // HAZ defer-func-result-not-called
	if s.readOnly {
		return errors.New("store is read-only")
	}
	for k, v := range s.data {
		if v == "" {
			delete(s.data, k)
		}
	}
	return nil
}

// startSpan is a package-level hook, replaceable in tests.
var startSpan = func(name string) func() {
	start := time.Now()
	return func() { log.Printf("span %s took %s", name, time.Since(start)) }
}

// SyncMirror defers a call through the package-level func variable.
func SyncMirror(src, dst map[string][]byte) int {
	defer startSpan("sync-mirror") // HAZ defer-func-result-not-called
	copied := 0
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v
			copied++
		}
	}
	return copied
}

// Metrics records operation outcomes.
type Metrics struct {
	mu     sync.Mutex
	errors map[string]int
}

// Observe starts timing op; the returned func records the outcome.
func (m *Metrics) Observe(op string) func(err error) {
	start := time.Now()
	return func(err error) {
		m.mu.Lock()
		if err != nil {
			m.errors[op]++
		}
		m.mu.Unlock()
		log.Printf("%s took %s", op, time.Since(start))
	}
}

// Flush defers Observe itself instead of its result.
func (m *Metrics) Flush(buf []string, write func(string) error) error {
	defer m.Observe("flush") // HAZ defer-func-result-not-called
	for _, line := range buf {
		if err := write(line); err != nil {
			return fmt.Errorf("flush: %w", err)
		}
	}
	return nil
}

// Registry counts live users per key.
type Registry[K comparable] struct {
	mu   sync.Mutex
	live map[K]int
}

// Enter registers one user of k and returns the matching leave.
func (r *Registry[K]) Enter(k K) (leave func()) {
	r.mu.Lock()
	r.live[k]++
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		r.live[k]--
		r.mu.Unlock()
	}
}

// ServeTenant defers the generic method itself: the tenant is counted as live
// when the request ends and never uncounted.
func ServeTenant(reg *Registry[string], tenant string, work func() error) error {
	defer reg.Enter(tenant) // HAZ defer-func-result-not-called
	if tenant == "" {
		return errors.New("no tenant")
	}
	return work()
}

// ---- negatives ----

// HandleRefund uses the idiom: the span starts now and ends at exit.
func HandleRefund(tr Tracer, id string) error {
	defer tr.Start("refund " + id)()
	if id == "" {
		return errors.New("empty refund id")
	}
	log.Printf("handling refund %s", id)
	return nil
}

// Reembed stores the returned func first and defers that.
func (svc *Service) Reembed(ids []string) int {
	stop := svc.timer.Lap("reembed")
	defer stop()
	n := 0
	for _, id := range ids {
		if svc.docs[id] != "" {
			n++
		}
	}
	return n
}

// openJournal returns a closer and an error: two results, not a single func.
func openJournal(path string) (func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

// ReplayCount defers the func obtained from a two-result constructor.
func ReplayCount(path string) (int, error) {
	closeJournal, err := openJournal(path)
	if err != nil {
		return 0, err
	}
	defer closeJournal()
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return int(info.Size()), nil
}

// WaitOrTimeout defers a method whose result is a bool, not a func.
func WaitOrTimeout(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// PreviewDryRun uses the generic Swap with the idiomatic trailing call.
func (s *Store) PreviewDryRun(keys []string) int {
	defer Swap(&s.readOnly, true)()
	n := 0
	for _, k := range keys {
		if _, ok := s.data[k]; ok {
			n++
		}
	}
	return n
}

// Rebalance calls Observe now and hands the final error to its result.
func (m *Metrics) Rebalance(parts []string, move func(string) error) (err error) {
	done := m.Observe("rebalance")
	defer func() { done(err) }()
	for _, p := range parts {
		if err = move(p); err != nil {
			return err
		}
	}
	return nil
}
