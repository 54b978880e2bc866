package session

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

// ErrTooMany is returned by Add when the table is full.
var ErrTooMany = errors.New("session: too many sessions")

// Info is the admin view of a session.
type Info struct {
	ID      string        `json:"id"`
	User    string        `json:"user"`
	Remote  string        `json:"remote"`
	Started time.Time     `json:"started"`
	Idle    time.Duration `json:"idle"`
}

// Summary aggregates the table for the status page.
type Summary struct {
	Sessions int      `json:"sessions"`
	Users    []string `json:"users"`
}

// Table maps session ids to sessions.
type Table struct {
	mu       sync.RWMutex
	sessions map[string]*Session
	nextID   uint64
	max      int
}

// NewTable returns a table that admits at most max sessions (0 = no cap).
func NewTable(max int) *Table {
	return &Table{sessions: make(map[string]*Session), max: max}
}

// Add registers a new control connection.
func (t *Table) Add(c *protocol.Conn, remote string) (*Session, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.max > 0 && len(t.sessions) >= t.max {
		return nil, ErrTooMany
	}
	t.nextID++
	id := fmt.Sprintf("s%06d", t.nextID)
	now := time.Now()
	s := &Session{ID: id, Remote: remote, Started: now, Conn: c, cwd: "/"}
	s.lastActive.Store(now.UnixNano())
	t.sessions[id] = s
	return s, nil
}

// Remove forgets a session; it is a no-op for unknown ids.
func (t *Table) Remove(id string) {
	t.mu.Lock()
	delete(t.sessions, id)
	t.mu.Unlock()
}

// Get looks a session up by id.
func (t *Table) Get(id string) (*Session, bool) {
	t.mu.RLock()
	defer t.mu.Unlock() // HAZ defer-lock-mismatch
	s, ok := t.sessions[id]
	return s, ok
}

// Len returns the number of sessions.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.sessions)
}

// Summary counts sessions and lists distinct logged-in users.
func (t *Table) Summary() Summary {
	t.mu.RLock()
	defer t.mu.RUnlock()
	seen := make(map[string]bool)
	for _, s := range t.sessions {
		if u := s.User(); u != "" {
			seen[u] = true
		}
	}
	sum := Summary{Sessions: t.Len()} // HAZ lock-reentry-under-defer
	for u := range seen {
		sum.Users = append(sum.Users, u)
	}
	sort.Strings(sum.Users)
	return sum
}

// List returns admin info for every session, oldest first.
func (t *Table) List(now time.Time) []Info {
	t.mu.RLock()
	out := make([]Info, 0, len(t.sessions))
	for _, s := range t.sessions {
		out = append(out, Info{
			ID: s.ID, User: s.User(), Remote: s.Remote,
			Started: s.Started, Idle: s.IdleFor(now).Round(time.Second),
		})
	}
	t.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Started.Before(out[j].Started) })
	return out
}

// snapshot copies the session pointers so callers can do slow work on
// them without holding the table lock.
func (t *Table) snapshot(match func(*Session) bool) []*Session {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []*Session
	for _, s := range t.sessions {
		if match == nil || match(s) {
			out = append(out, s)
		}
	}
	return out
}

// Kick disconnects every session of user and returns how many there were.
// Replies and closes happen outside the table lock.
func (t *Table) Kick(user, reason string) int {
	victims := t.snapshot(func(s *Session) bool { return s.User() == user })
	for _, s := range victims {
		_ = s.Conn.Reply(protocol.CodeUnavailable, "Disconnected by administrator: %s", reason)
		_ = s.Conn.Close()
	}
	return len(victims)
}

// Announce sends a 211 notice to every session in parallel and returns
// how many were notified before timeout.
func (t *Table) Announce(msg string, timeout time.Duration) int {
	sessions := t.snapshot(nil)
	done := make(chan bool)
	for _, s := range sessions {
		go func() {
			err := s.Conn.Reply(protocol.CodeStatus, "NOTICE: %s", msg)
			done <- err == nil // HAZ goroutine-blocked-send
		}()
	}
	deadline := time.After(timeout)
	n := 0
	for range sessions {
		select {
		case ok := <-done:
			if ok {
				n++
			}
		case <-deadline:
			return n
		}
	}
	return n
}

// ReapIdle closes sessions idle for longer than max and returns their ids.
func (t *Table) ReapIdle(max time.Duration, now time.Time) []string {
	idle := t.snapshot(func(s *Session) bool { return s.IdleFor(now) > max })
	ids := make([]string, 0, len(idle))
	for _, s := range idle {
		_ = s.Conn.Reply(protocol.CodeUnavailable, "Idle timeout (%s), closing control connection", max)
		_ = s.Conn.Close()
		ids = append(ids, s.ID)
	}
	return ids
}

// CloseAll tells every client the server is going away and closes the
// control connections in parallel (a slow client must not delay others).
func (t *Table) CloseAll(msg string) {
	var wg sync.WaitGroup
	for _, s := range t.snapshot(nil) {
		wg.Add(1)
		go func() {
			if s.Conn == nil {
				return
			}
			_ = s.Conn.Reply(protocol.CodeUnavailable, "%s", msg)
			_ = s.Conn.Close()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}
