// Package stats keeps per-backend session counters for the proxies and
// exports them as JSON, CSV or a text stream.
package stats

import (
	"encoding/json"
	"log"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics aggregates session counters per backend.
type Metrics struct {
	mu       sync.Mutex
	backends map[string]*counter
	active   atomic.Int64
	started  time.Time
}

type counter struct {
	sessions int64
	bytes    int64
	total    time.Duration
	max      time.Duration
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{backends: make(map[string]*counter), started: time.Now()}
}

// ObserveSession records one finished session of duration d.
func (m *Metrics) ObserveSession(backend string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counterLocked(backend)
	c.sessions++
	c.total += d
	if d > c.max {
		c.max = d
	}
}

// AddBytes adds n proxied bytes to backend's counter.
func (m *Metrics) AddBytes(backend string, n int64) {
	if n <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counterLocked(backend).bytes += n
}

// counterLocked returns (creating) the counter for name. m.mu must be held.
func (m *Metrics) counterLocked(name string) *counter {
	c, ok := m.backends[name]
	if !ok {
		c = &counter{}
		m.backends[name] = c
	}
	return c
}

// Forget drops the counters of a backend removed from the pool.
func (m *Metrics) Forget(backend string) bool {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := m.backends[backend]; ok {
		delete(m.backends, backend)
		m.mu.Unlock()
		return true
	}
	return false
}

// Backends returns the names that have counters.
func (m *Metrics) Backends() []string {
	m.mu.Lock()
	names := make([]string, 0, len(m.backends))
	for name := range m.backends {
		names = append(names, name)
	}
	m.mu.Unlock()
	sort.Strings(names)
	return names
}

// TrackActive counts one active session and returns the func that ends it.
// Use it as `defer m.TrackActive()()`.
func (m *Metrics) TrackActive() func() {
	m.active.Add(1)
	return func() { m.active.Add(-1) }
}

// Active returns the number of sessions in flight.
func (m *Metrics) Active() int64 { return m.active.Load() }

// Timer starts timing a session against name and returns the func that
// records it. Use it as `defer stats.Timer(m, name)()`.
func Timer(m *Metrics, name string) func() {
	start := time.Now()
	return func() {
		m.ObserveSession(name, time.Since(start))
	}
}

// BackendSnapshot is one backend's counters at snapshot time.
type BackendSnapshot struct {
	Name     string        `json:"name"`
	Sessions int64         `json:"sessions"`
	Bytes    int64         `json:"bytes"`
	Mean     time.Duration `json:"mean_ns"`
	Max      time.Duration `json:"max_ns"`
}

// Snapshot is a consistent copy of all counters.
type Snapshot struct {
	Taken    time.Time         `json:"taken"`
	Uptime   time.Duration     `json:"uptime_ns"`
	Active   int64             `json:"active"`
	Backends []BackendSnapshot `json:"backends"`
}

// Snapshot copies the counters, sorted by backend name.
func (m *Metrics) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	s := Snapshot{Taken: now, Uptime: now.Sub(m.started), Active: m.active.Load()}
	for name, c := range m.backends {
		bs := BackendSnapshot{Name: name, Sessions: c.sessions, Bytes: c.bytes, Max: c.max}
		if c.sessions > 0 {
			bs.Mean = c.total / time.Duration(c.sessions)
		}
		s.Backends = append(s.Backends, bs)
	}
	sort.Slice(s.Backends, func(i, j int) bool { return s.Backends[i].Name < s.Backends[j].Name })
	return s
}

// Log writes one line per backend to l.
func (s Snapshot) Log(l *log.Logger) {
	l.Printf("stats: %d active, up %s", s.Active, s.Uptime.Round(time.Second))
	for _, b := range s.Backends {
		l.Printf("stats: %-12s sessions=%d bytes=%d mean=%s max=%s",
			b.Name, b.Sessions, b.Bytes, b.Mean, b.Max)
	}
}

// ServeHTTP exposes the snapshot as JSON.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m.Snapshot()); err != nil {
		log.Printf("stats: encode snapshot: %v", err)
	}
}
