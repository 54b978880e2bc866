// Package proxy is the gateway's reverse proxy: a pool of upstream backends
// with health checks, retries on idempotent requests and hedged reads.
package proxy

import (
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Backend is one upstream server.
type Backend struct {
	Name string
	URL  *url.URL

	mu        sync.Mutex
	healthy   bool
	failures  int
	lastCheck time.Time

	inflight atomic.Int64
}

// NewBackend parses rawURL and returns a backend that starts out healthy.
func NewBackend(name, rawURL string) (*Backend, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("backend %s: %w", name, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("backend %s: unsupported scheme %q", name, u.Scheme)
	}
	return &Backend{Name: name, URL: u, healthy: true}, nil
}

// Healthy reports the last health verdict.
func (b *Backend) Healthy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.healthy
}

func (b *Backend) setHealthy(v bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.healthy = v
	b.lastCheck = time.Now()
	if v {
		b.failures = 0
	}
}

// recordFailure counts a failed probe and marks the backend down once the
// threshold is reached. It reports whether this call changed the state.
func (b *Backend) recordFailure(threshold int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.failures < threshold || !b.healthy {
		return false
	}
	b.setHealthy(false) // HAZ lock-reentry-under-defer
	return true
}

// recordSuccess resets the failure count and brings a down backend back.
func (b *Backend) recordSuccess() {
	b.mu.Lock()
	wasDown := !b.healthy
	b.failures = 0
	b.mu.Unlock()
	if wasDown {
		b.setHealthy(true)
	}
}

// begin marks one request in flight and returns the function that ends it.
func (b *Backend) begin() func() {
	b.inflight.Add(1)
	return func() { b.inflight.Add(-1) }
}

// Inflight reports the number of requests currently sent to b.
func (b *Backend) Inflight() int64 { return b.inflight.Load() }

// String is used in log lines.
func (b *Backend) String() string {
	return b.Name + "(" + b.URL.Host + ")"
}
