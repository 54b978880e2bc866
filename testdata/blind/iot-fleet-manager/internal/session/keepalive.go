package session

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fleet/internal/protocol"
)

// RunKeepalive probes idle sessions every interval until ctx is done.
func (m *Manager) RunKeepalive(ctx context.Context, interval, idle, timeout time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := m.probeStale(ctx, idle, timeout); n > 0 {
				m.log.Printf("keepalive: dropped %d unresponsive sessions", n)
			}
		}
	}
}

// probeStale pings, in parallel, every session that has been silent for
// longer than idle and drops those that do not answer.
func (m *Manager) probeStale(ctx context.Context, idle, timeout time.Duration) int {
	var wg sync.WaitGroup
	var dropped atomic.Int32
	probed := 0
	now := time.Now()
	for _, s := range m.list() {
		if now.Sub(s.LastSeen()) < idle {
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); dropped.Add(m.probe(ctx, s, timeout)) }() // HAZ loop-var-capture
		probed++
	}
	wg.Wait()
	if probed > 0 {
		m.log.Printf("keepalive: probed %d idle sessions", probed)
	}
	return int(dropped.Load())
}

func (m *Manager) probe(ctx context.Context, s *Session, timeout time.Duration) int32 {
	if _, err := s.Ping(ctx, timeout); err != nil {
		s.Disconnect(protocol.ReasonStalled)
		return 1
	}
	return 0
}

// Latencies pings every connected device and returns the round-trip times
// that arrive before timeout.
func (m *Manager) Latencies(ctx context.Context, timeout time.Duration) map[string]time.Duration {
	type sample struct {
		id  string
		rtt time.Duration
	}
	sessions := m.list()
	results := make(chan sample, len(sessions))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, s := range sessions {
		go func(s *Session) {
			rtt, err := s.Ping(ctx, timeout)
			if err == nil {
				results <- sample{id: s.id, rtt: rtt}
			}
		}(s)
	}
	out := make(map[string]time.Duration, len(sessions))
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for range sessions {
		select {
		case r := <-results:
			out[r.id] = r.rtt
		case <-deadline.C:
			return out
		}
	}
	return out
}

// MeasureAll is like Latencies but waits for every ping to finish, so the
// result channel can be closed safely afterwards.
func (m *Manager) MeasureAll(ctx context.Context, timeout time.Duration) map[string]time.Duration {
	type sample struct {
		id  string
		rtt time.Duration
		err error
	}
	sessions := m.list()
	results := make(chan sample)
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Add(1)
		go func(s *Session) {
			defer wg.Done()
			rtt, err := s.Ping(ctx, timeout)
			results <- sample{id: s.id, rtt: rtt, err: err}
		}(s)
	}
	go func() {
		defer close(results)
		wg.Wait()
	}()
	out := make(map[string]time.Duration, len(sessions))
	for r := range results {
		if r.err == nil {
			out[r.id] = r.rtt
		}
	}
	return out
}
