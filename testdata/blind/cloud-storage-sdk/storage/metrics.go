package storage

import (
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// Metrics counts requests per operation.
type Metrics struct {
	mu       sync.Mutex
	counts   map[string]int64
	failures map[string]int64
	latency  map[string]time.Duration
	listed   map[string]time.Time
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		counts:   make(map[string]int64),
		failures: make(map[string]int64),
		latency:  make(map[string]time.Duration),
		listed:   make(map[string]time.Time),
	}
}

// Count records a successful operation.
func (m *Metrics) Count(op string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[op]++
}

// Fail records a failed operation.
func (m *Metrics) Fail(op string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures[op]++
}

// ObserveSince adds the time elapsed since start to op's latency.
func (m *Metrics) ObserveSince(op string, start time.Time) {
	d := time.Since(start)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.latency[op] += d
}

// MarkListed records when a listing of prefix completed.
func (m *Metrics) MarkListed(prefix string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.listed[prefix] = at
}

// LastListed returns when prefix was last listed.
func (m *Metrics) LastListed(prefix string) (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.listed[prefix]
	return t, ok
}

// String renders the metrics sorted by operation.
func (m *Metrics) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ops := make([]string, 0, len(m.counts))
	for op := range m.counts {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "%s ok=%d failed=%d time=%s\n", op, m.counts[op], m.failures[op], m.latency[op])
	}
	return b.String()
}

// span starts timing op and returns the function that ends the span.
func (c *Client) span(op string) func() {
	start := time.Now()
	return func() {
		c.metrics.ObserveSince(op, start)
		if d := time.Since(start); d > 10*time.Second {
			log.Printf("storage: slow operation %q took %s", op, d)
		}
	}
}

// timeOp runs fn and records its latency.
func (c *Client) timeOp(op string, fn func() error) error {
	start := time.Now()
	defer c.metrics.ObserveSince(op, start)
	return fn()
}
