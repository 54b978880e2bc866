package store

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// User is an account holder.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// Server is the gateway's in-memory state, one lock per table so that hot
// tables do not contend with each other.
type Server struct {
	usersMu    sync.RWMutex
	users      map[string]User
	sessionsMu sync.RWMutex
	sessions   map[string]string
	tokensMu   sync.RWMutex
	tokens     map[string]string
	quotasMu   sync.RWMutex
	quotas     map[string]int64
	routesMu   sync.RWMutex
	routes     map[string]string
	flagsMu    sync.RWMutex
	flags      map[string]bool
	peersMu    sync.RWMutex
	peers      []string
	jobsMu     sync.RWMutex
	jobs       map[string]time.Time
	leasesMu   sync.RWMutex
	leases     map[string]string
}

type stateDump struct {
	Users    map[string]User      `json:"users"`
	Sessions map[string]string    `json:"sessions"`
	Tokens   map[string]string    `json:"tokens"`
	Quotas   map[string]int64     `json:"quotas"`
	Routes   map[string]string    `json:"routes"`
	Flags    map[string]bool      `json:"flags"`
	Peers    []string             `json:"peers"`
	Jobs     map[string]time.Time `json:"jobs"`
	Leases   map[string]string    `json:"leases,omitempty"`
}

// DumpState writes a consistent snapshot of every table. Nine deferred
// unlocks: more than the eight the compiler can open-code.
func (s *Server) DumpState(w io.Writer) error {
	s.usersMu.RLock()
	defer s.usersMu.RUnlock()
	s.sessionsMu.RLock()
	defer s.sessionsMu.RUnlock()
	s.tokensMu.RLock()
	defer s.tokensMu.RUnlock()
	s.quotasMu.RLock()
	defer s.quotasMu.RUnlock()
	s.routesMu.RLock()
	defer s.routesMu.RUnlock()
	s.flagsMu.RLock()
	defer s.flagsMu.RUnlock()
	s.peersMu.RLock()
	defer s.peersMu.RUnlock()
	s.jobsMu.RLock()
	defer s.jobsMu.RUnlock()
	s.leasesMu.RLock()
	defer s.leasesMu.RUnlock() // HAZ defer-not-open-coded
	return json.NewEncoder(w).Encode(stateDump{
		Users: s.users, Sessions: s.sessions, Tokens: s.tokens, Quotas: s.quotas,
		Routes: s.routes, Flags: s.flags, Peers: s.peers, Jobs: s.jobs, Leases: s.leases,
	})
}

// StateStats are table sizes for the metrics endpoint.
type StateStats struct {
	Users, Sessions, Tokens, Quotas, Routes, Flags, Peers, Jobs int
}

// Stats reads eight tables under their read locks: eight defers and a
// single return stay within the open-coding limits.
func (s *Server) Stats() StateStats {
	s.usersMu.RLock()
	defer s.usersMu.RUnlock()
	s.sessionsMu.RLock()
	defer s.sessionsMu.RUnlock()
	s.tokensMu.RLock()
	defer s.tokensMu.RUnlock()
	s.quotasMu.RLock()
	defer s.quotasMu.RUnlock()
	s.routesMu.RLock()
	defer s.routesMu.RUnlock()
	s.flagsMu.RLock()
	defer s.flagsMu.RUnlock()
	s.peersMu.RLock()
	defer s.peersMu.RUnlock()
	s.jobsMu.RLock()
	defer s.jobsMu.RUnlock() // ok: 8 defers x 1 return
	return StateStats{
		Users: len(s.users), Sessions: len(s.sessions), Tokens: len(s.tokens), Quotas: len(s.quotas),
		Routes: len(s.routes), Flags: len(s.flags), Peers: len(s.peers), Jobs: len(s.jobs),
	}
}

// RestoreState replaces the tables from a dump. Eight defers and two returns:
// 8 x 2 = 16 exceeds the compiler's returns-times-defers budget of 15.
func (s *Server) RestoreState(r io.Reader) error {
	var d stateDump
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return err
	}
	s.usersMu.Lock()
	defer s.usersMu.Unlock() // HAZ defer-not-open-coded
	s.sessionsMu.Lock()
	defer s.sessionsMu.Unlock()
	s.tokensMu.Lock()
	defer s.tokensMu.Unlock()
	s.quotasMu.Lock()
	defer s.quotasMu.Unlock()
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	s.flagsMu.Lock()
	defer s.flagsMu.Unlock()
	s.peersMu.Lock()
	defer s.peersMu.Unlock()
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	s.users, s.sessions, s.tokens, s.quotas = d.Users, d.Sessions, d.Tokens, d.Quotas
	s.routes, s.flags, s.peers, s.jobs = d.Routes, d.Flags, d.Peers, d.Jobs
	return nil
}
