package lease

import (
	"sync"
	"time"
)

// Session is the server-side state of one client connection: the leases
// it granted and the time of its last heartbeat. When heartbeats stop for
// longer than the grace period, the session's leases are revoked.
type Session struct {
	ID string

	mu        sync.Mutex
	leases    map[ID]struct{}
	lastSeen  time.Time
	done      chan struct{}
	closeOnce sync.Once
}

// NewSession returns a live session.
func NewSession(id string) *Session {
	return &Session{ID: id, leases: make(map[ID]struct{}), lastSeen: time.Now(), done: make(chan struct{})}
}

// Touch records a heartbeat.
func (s *Session) Touch() {
	s.mu.Lock()
	s.lastSeen = time.Now()
	s.mu.Unlock()
}

// Own records that lease id belongs to this session.
func (s *Session) Own(id ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.leases[id] = struct{}{}
}

// Disown forgets lease id (revoked explicitly by the client).
func (s *Session) Disown(id ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.leases, id)
}

// Leases returns the IDs of the session's leases.
func (s *Session) Leases() []ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]ID, 0, len(s.leases))
	for id := range s.leases {
		ids = append(ids, id)
	}
	return ids
}

// IdleSince returns how long before now the last heartbeat arrived.
func (s *Session) IdleSince(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Sub(s.lastSeen)
}

// Monitor revokes the session's leases on m once no heartbeat arrived for
// grace, or returns when the session is closed.
func (s *Session) Monitor(m *Manager, grace time.Duration) {
	t := time.NewTicker(grace / 2)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case now := <-t.C:
			if s.IdleSince(now) <= grace {
				continue
			}
			for _, id := range s.Leases() {
				if err := m.Revoke(id); err != nil && err != ErrNotFound {
					m.logger.Printf("lease: session %s: revoke %d: %v", s.ID, id, err)
				}
			}
			return
		}
	}
}

// Close stops the monitor. It is safe to call more than once.
func (s *Session) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}
