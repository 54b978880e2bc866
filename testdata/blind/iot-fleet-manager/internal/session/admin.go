package session

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"example.com/fleet/internal/protocol"
)

// ErrUnknownDevice is returned for devices without a live session.
var ErrUnknownDevice = errors.New("session: device not connected")

// Evict removes a device's session from the table and kicks it.
func (m *Manager) Evict(id string, reason byte) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	s, ok := m.sessions[id]
	if !ok {
		return ErrUnknownDevice
	}
	delete(m.sessions, id)
	m.mu.Unlock()
	return s.Kick(reason, time.Second)
}

// EvictSite kicks every device whose id starts with prefix; the table lock
// is released on every path before any device is kicked.
func (m *Manager) EvictSite(prefix string, reason byte) int {
	m.mu.Lock()
	var victims []*Session
	for id, s := range m.sessions {
		if len(id) >= len(prefix) && id[:len(prefix)] == prefix {
			victims = append(victims, s)
			delete(m.sessions, id)
		}
	}
	m.mu.Unlock()
	for _, s := range victims {
		s.Kick(reason, time.Second)
	}
	return len(victims)
}

// IDs returns the ids of all connected devices, sorted.
func (m *Manager) IDs() []string {
	m.mu.RLock()
	ids := make([]string, 0, len(m.sessions))
	for id := range m.sessions {
		ids = append(ids, id)
	}
	m.mu.RUnlock()
	sort.Strings(ids)
	return ids
}

// StaleSince returns the sessions that have been silent since before t.
// Each session's own lock is taken and released inside LastSeen.
func (m *Manager) StaleSince(t time.Time) []string {
	var out []string
	for _, s := range m.list() {
		if s.LastSeen().Before(t) {
			out = append(out, s.id)
		}
	}
	return out
}

// PingSequential pings the sessions one at a time, each with its own
// deadline, and returns the round-trip times of those that answered.
func (m *Manager) PingSequential(ctx context.Context, each time.Duration) map[string]time.Duration {
	out := make(map[string]time.Duration)
	for _, s := range m.list() {
		ctx, cancel := context.WithTimeout(ctx, each)
		defer cancel() // HAZ defer-in-loop
		if rtt, err := s.Ping(ctx, each); err == nil {
			out[s.id] = rtt
		}
	}
	return out
}

// Terminate closes the session and waits for its goroutines to exit.
func (s *Session) Terminate() {
	defer s.wg.Wait() // HAZ defer-blocking-call
	s.Close()
}

// Stop closes the session and waits for its goroutines, unless the caller
// is one of them (handlers run on the reader goroutine).
func (s *Session) Stop(fromHandler bool) {
	s.Close()
	if !fromHandler {
		s.wg.Wait()
	}
}

// SendAll queues frames in order; it stops at the first failure.
func (s *Session) SendAll(frames []protocol.Frame) error {
	for _, fr := range frames {
		select {
		case s.out <- fr:
		case <-s.done:
			return ErrClosed
		}
	}
	return nil
}

// CloseIdle kicks, in parallel, the sessions silent for longer than idle
// and waits for the kicks to complete.
func (m *Manager) CloseIdle(idle time.Duration) {
	var wg sync.WaitGroup
	for _, s := range m.list() {
		wg.Add(1)
		go func(s *Session) {
			if time.Since(s.LastSeen()) < idle {
				return
			}
			s.Kick(protocol.ReasonStalled, time.Second)
			wg.Done() // HAZ waitgroup-done-path
		}(s)
	}
	wg.Wait()
}
