package proxy

import (
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Metrics counts answers per route and status code.
type Metrics struct {
	mu     sync.Mutex
	counts map[string]map[int]int64
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{counts: make(map[string]map[int]int64)}
}

func (m *Metrics) observe(route string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	byStatus, ok := m.counts[route]
	if !ok {
		byStatus = make(map[int]int64)
		m.counts[route] = byStatus
	}
	byStatus[status]++
}

// Wrap counts the answers of next under route.
func (m *Metrics) Wrap(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		status := http.StatusOK
		defer m.observe(route, status) // HAZ defer-eager-evaluation
		next.ServeHTTP(rec, r)
		if rec.status != 0 {
			status = rec.status
		}
	})
}

// WrapCounted counts the answers of next under route; the status is read
// when the handler has finished.
func (m *Metrics) WrapCounted(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			m.observe(route, status)
		}()
		next.ServeHTTP(rec, r)
	})
}

// RouteCount is one row of the metrics page.
type RouteCount struct {
	Route  string `json:"route"`
	Status int    `json:"status"`
	Count  int64  `json:"count"`
}

// Snapshot returns all counters sorted by route and status.
func (m *Metrics) Snapshot() []RouteCount {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []RouteCount
	for route, byStatus := range m.counts {
		for status, n := range byStatus {
			out = append(out, RouteCount{Route: route, Status: status, Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Route != out[j].Route {
			return out[i].Route < out[j].Route
		}
		return out[i].Status < out[j].Status
	})
	return out
}

// tcpProbe checks that an upstream accepts TCP connections.
func tcpProbe(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return conn.SetDeadline(time.Now().Add(timeout))
}

// fastestUpstream dials every replica of a route and returns the first that
// accepts a connection.
func fastestUpstream(replicas []string, timeout time.Duration) (string, bool) {
	winner := make(chan string, len(replicas))
	defer close(winner) // HAZ defer-close-chan-with-sender
	for _, addr := range replicas {
		go func(addr string) {
			if tcpProbe(addr, timeout) == nil {
				winner <- addr
			}
		}(addr)
	}
	select {
	case addr := <-winner:
		return addr, true
	case <-time.After(timeout):
		return "", false
	}
}

// PickReplica returns the fastest replica of a route, or its first one.
func PickReplica(replicas []string) string {
	if len(replicas) == 0 {
		return ""
	}
	if addr, ok := fastestUpstream(replicas, 300*time.Millisecond); ok {
		return addr
	}
	return replicas[0]
}
