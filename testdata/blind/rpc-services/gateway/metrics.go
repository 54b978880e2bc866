package gateway

import (
	"sync"

	"example.com/rpcservices/rpc"
)

// Metrics counts requests and errors per route.
type Metrics struct {
	mu       sync.Mutex
	requests map[string]int
	errors   map[string]int
}

// NewMetrics returns empty counters.
func NewMetrics() *Metrics {
	return &Metrics{requests: make(map[string]int), errors: make(map[string]int)}
}

// Observe counts one request with its HTTP status.
func (m *Metrics) Observe(route string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[route]++
	if status >= 500 || rpc.CodeFromHTTP(status) == rpc.Unavailable {
		m.errors[route]++
	}
}

// Counts returns requests and errors of route.
func (m *Metrics) Counts(route string) (requests, errors int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.requests[route], m.errors[route]
}
