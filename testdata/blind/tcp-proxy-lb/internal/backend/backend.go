// Package backend manages upstream servers: the pool, weighted round robin
// selection, health checking and per-backend connection pools.
package backend

import (
	"fmt"
	"sync/atomic"
	"time"

	"example.com/tcpproxylb/internal/breaker"
	"example.com/tcpproxylb/internal/metrics"
)

// Backend is one upstream server.
type Backend struct {
	Addr    string
	Breaker *breaker.Breaker

	weight   atomic.Int64
	healthy  atomic.Bool
	draining atomic.Bool
	active   atomic.Int64
	total    atomic.Int64
	bytesIn  atomic.Int64
	bytesOut atomic.Int64
	lastOK   atomic.Int64 // unix nanos of the last successful probe
}

// NewBackend returns a healthy backend with the given weight.
func NewBackend(addr string, weight int) *Backend {
	b := &Backend{
		Addr:    addr,
		Breaker: breaker.New(breaker.Settings{Name: addr}),
	}
	b.weight.Store(int64(weight))
	b.healthy.Store(true)
	return b
}

// Weight returns the configured weight.
func (b *Backend) Weight() int { return int(b.weight.Load()) }

// Healthy reports the last health check result.
func (b *Backend) Healthy() bool { return b.healthy.Load() }

// SetHealthy records a probe result.
func (b *Backend) SetHealthy(ok bool) {
	b.healthy.Store(ok)
	if ok {
		b.lastOK.Store(time.Now().UnixNano())
	}
}

// Available reports whether new connections may be sent to the backend.
func (b *Backend) Available() bool {
	return b.Healthy() && !b.draining.Load() && b.Weight() > 0
}

// Drain stops new connections; existing ones continue.
func (b *Backend) Drain() { b.draining.Store(true) }

// Acquire counts a new connection and returns the function that releases it.
func (b *Backend) Acquire() func() {
	b.active.Add(1)
	b.total.Add(1)
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			b.active.Add(-1)
		}
	}
}

// AddBytes accounts proxied traffic.
func (b *Backend) AddBytes(in, out int64) {
	b.bytesIn.Add(in)
	b.bytesOut.Add(out)
}

// Stats is a point-in-time copy of a backend's counters.
type Stats struct {
	Addr     string    `json:"addr"`
	Weight   int       `json:"weight"`
	Healthy  bool      `json:"healthy"`
	Draining bool      `json:"draining"`
	Active   int64     `json:"active"`
	Total    int64     `json:"total"`
	BytesIn  int64     `json:"bytes_in"`
	BytesOut int64     `json:"bytes_out"`
	LastOK   time.Time `json:"last_ok"`
	Breaker  string    `json:"breaker"`
}

// Snapshot copies the counters as they are now.
func (b *Backend) Snapshot() Stats {
	return Stats{
		Addr:     b.Addr,
		Weight:   b.Weight(),
		Healthy:  b.Healthy(),
		Draining: b.draining.Load(),
		Active:   b.active.Load(),
		Total:    b.total.Load(),
		BytesIn:  b.bytesIn.Load(),
		BytesOut: b.bytesOut.Load(),
		LastOK:   time.Unix(0, b.lastOK.Load()),
		Breaker:  b.Breaker.State().String(),
	}
}

// PublishTo exports the snapshot as per-backend counters.
func (s Stats) PublishTo(reg *metrics.Registry) {
	reg.Counter(fmt.Sprintf("backend_bytes_in{addr=%q}", s.Addr)).Add(s.BytesIn)
	reg.Counter(fmt.Sprintf("backend_bytes_out{addr=%q}", s.Addr)).Add(s.BytesOut)
}

func (b *Backend) String() string {
	return fmt.Sprintf("%s(w=%d)", b.Addr, b.Weight())
}
