package udpsrv

import (
	"net"
	"sync"
	"time"
)

// PlayerID identifies an authenticated client.
type PlayerID uint64

// Session is the server-side state of one client address.
type Session struct {
	ID   PlayerID
	addr net.Addr

	mu       sync.Mutex
	created  time.Time
	lastSeen time.Time
	seq      uint32
	acked    uint32
	rtt      time.Duration
	closed   bool
	packets  uint64
	bytes    uint64
	sentAt   map[uint32]time.Time
}

// SessionInfo is a copy of a session's counters.
type SessionInfo struct {
	ID       PlayerID
	Addr     string
	Created  time.Time
	LastSeen time.Time
	RTT      time.Duration
	Packets  uint64
	Bytes    uint64
}

func newSession(id PlayerID, addr net.Addr, now time.Time) *Session {
	return &Session{
		ID:       id,
		addr:     addr,
		created:  now,
		lastSeen: now,
		sentAt:   make(map[uint32]time.Time),
	}
}

// Addr returns the client address.
func (s *Session) Addr() net.Addr { return s.addr }

func (s *Session) touch(at time.Time, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.lastSeen) {
		s.lastSeen = at
	}
	s.packets++
	s.bytes += uint64(n)
}

func (s *Session) idle(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Sub(s.lastSeen)
}

// NextSeq allocates a sequence number for an outgoing reliable message and
// remembers when it was sent.
func (s *Session) NextSeq(now time.Time) (uint32, bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, false
	}
	s.seq++
	seq := s.seq
	s.sentAt[seq] = now
	s.mu.Unlock()
	return seq, true
}

// Ack records the client's acknowledgement of seq and updates the RTT.
func (s *Session) Ack(seq uint32, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sent, ok := s.sentAt[seq]
	if !ok {
		return // duplicate or very late ack
	}
	delete(s.sentAt, seq)
	if seq > s.acked {
		s.acked = seq
	}
	sample := now.Sub(sent)
	if s.rtt == 0 {
		s.rtt = sample
	} else {
		s.rtt = (3*s.rtt + sample) / 4
	}
}

// Unacked returns how many reliable messages are outstanding.
func (s *Session) Unacked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sentAt)
}

func (s *Session) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	clear(s.sentAt)
}

// Info returns a snapshot of the session's counters.
func (s *Session) Info() SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SessionInfo{
		ID:       s.ID,
		Addr:     s.addr.String(),
		Created:  s.created,
		LastSeen: s.lastSeen,
		RTT:      s.rtt,
		Packets:  s.packets,
		Bytes:    s.bytes,
	}
}
