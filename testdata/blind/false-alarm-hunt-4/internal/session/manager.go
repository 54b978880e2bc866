// Package session tracks logged-in sessions for the API gateway.
package session

import (
	"errors"
	"log"
	"sync"
	"time"
)

// Session is one login.
type Session struct {
	mu       sync.Mutex
	ID       string
	User     string
	lastSeen time.Time
	attrs    map[string]string
}

// Touch records activity on the session.
func (s *Session) Touch(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastSeen = now
}

// LastSeen returns the time of the last activity.
func (s *Session) LastSeen() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSeen
}

// Set stores an attribute.
func (s *Session) Set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attrs == nil {
		s.attrs = make(map[string]string)
	}
	s.attrs[k] = v
}

// ErrUnknown is returned for an unknown session id.
var ErrUnknown = errors.New("session: unknown id")

// Manager owns every session.
type Manager struct {
	mu        sync.Mutex
	sessions  map[string]*Session
	listeners []func(id string, gone bool)
	loading   bool
	cond      *sync.Cond
	once      sync.Once
	ttl       time.Duration

	statsMu sync.Mutex
	created int
	expired int
}

// NewManager returns a manager with the given idle timeout.
func NewManager(ttl time.Duration) *Manager {
	m := &Manager{sessions: make(map[string]*Session), ttl: ttl}
	m.cond = sync.NewCond(&m.mu)
	return m
}

// Create registers a new session.
func (m *Manager) Create(id, user string, now time.Time) *Session {
	s := &Session{ID: id, User: user, lastSeen: now}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.addLocked(s) // ok: the Locked helper expects m.mu held and does not take it
	return s
}

// addLocked inserts s. m.mu must be held.
func (m *Manager) addLocked(s *Session) {
	m.once.Do(m.initLocked)
	m.sessions[s.ID] = s
	m.countCreated() // ok: statsMu, not m.mu
}

// initLocked runs once under m.mu.
func (m *Manager) initLocked() {
	if m.sessions == nil {
		m.sessions = make(map[string]*Session)
	}
}

func (m *Manager) countCreated() {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	m.created++
}

func (m *Manager) countExpired(n int) {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	m.expired += n
}

// Stats returns the counters.
func (m *Manager) Stats() (created, expired int) {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	return m.created, m.expired
}

// Len returns the number of live sessions.
func (m *Manager) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}

// Lookup returns the session with the given id.
func (m *Manager) Lookup(id string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, ErrUnknown
	}
	return s, nil
}

// Heartbeat touches a session; the per-session lock nests inside m.mu.
func (m *Manager) Heartbeat(id string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return ErrUnknown
	}
	s.Touch(now) // ok: locks s.mu, a different mutex
	return nil
}

// Subscribe adds a listener called after sessions appear or go away.
func (m *Manager) Subscribe(fn func(id string, gone bool)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.listeners = append(m.listeners, fn)
}

// notify calls the listeners outside m.mu.
func (m *Manager) notify(ids []string, gone bool) {
	m.mu.Lock()
	ls := append([]func(string, bool){}, m.listeners...)
	m.mu.Unlock()
	for _, id := range ids {
		for _, fn := range ls {
			fn(id, gone)
		}
	}
}

// Expire removes idle sessions and tells the listeners afterwards.
func (m *Manager) Expire(now time.Time) int {
	var gone []string
	defer func() { m.notify(gone, true) }() // ok: registered first, so it runs after the Unlock below
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range m.sessions {
		if now.Sub(s.LastSeen()) > m.ttl {
			delete(m.sessions, id)
			gone = append(gone, id)
		}
	}
	m.countExpired(len(gone))
	return len(gone)
}

// Remove deletes one session and tells the listeners when the lock is gone.
func (m *Manager) Remove(id string) bool {
	m.mu.Lock()
	defer func() {
		m.mu.Unlock()
		m.notify([]string{id}, true) // ok: after the Unlock in the same deferred func
	}()
	if _, ok := m.sessions[id]; !ok {
		return false
	}
	delete(m.sessions, id)
	return true
}

// Reload refreshes the sessions from the backing store in the background.
func (m *Manager) Reload(fetch func() map[string]*Session) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loading {
		return
	}
	m.loading = true
	go m.reload(fetch) // ok: the goroutine waits for m.mu; this function does not wait for it
}

func (m *Manager) reload(fetch func() map[string]*Session) {
	fresh := fetch()
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, s := range fresh {
		m.sessions[id] = s
	}
	m.loading = false
	m.cond.Broadcast()
}

// WaitLoaded blocks until no reload is in flight.
func (m *Manager) WaitLoaded() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for m.loading {
		m.cond.Wait() // ok: Wait releases m.mu while it sleeps
	}
	return len(m.sessions)
}

// Adopt moves every session of other into m.
func (m *Manager) Adopt(other *Manager) int {
	if other == m {
		return 0
	}
	moved := other.drain()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range moved {
		m.addLocked(s)
	}
	return len(moved)
}

func (m *Manager) drain() []*Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Session, 0, len(m.sessions))
	for id, s := range m.sessions {
		out = append(out, s)
		delete(m.sessions, id)
	}
	return out
}

// unlocked runs fn with m.mu released; the caller must hold m.mu and holds
// it again when unlocked returns, also if fn panics.
func (m *Manager) unlocked(fn func()) {
	m.mu.Unlock()
	defer m.mu.Lock() // ok: re-acquired for the caller, which owns the final Unlock
	fn()
}

// Rotate replaces a session id; the listeners run with m.mu released
// because they may call back into the manager.
func (m *Manager) Rotate(oldID, newID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[oldID]
	if !ok {
		return ErrUnknown
	}
	delete(m.sessions, oldID)
	s.ID = newID
	m.sessions[newID] = s

	m.unlocked(func() { // ok: unlocked drops m.mu before anything takes it
		m.notify([]string{oldID}, true)
		m.notify([]string{newID}, false)
	})
	if _, taken := m.sessions[oldID]; taken {
		log.Printf("session %s was recreated during rotation", oldID)
	}
	return nil
}

// OnEvict registers a listener that removes a linked session; the closure is
// stored, not called, while m.mu is held.
func (m *Manager) OnEvict(linked map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.listeners = append(m.listeners, func(id string, gone bool) {
		if other, ok := linked[id]; ok && gone {
			m.Remove(other)
		}
	})
}

// TryCount returns the number of sessions without waiting if the manager is busy.
func (m *Manager) TryCount() (int, bool) {
	if !m.mu.TryLock() {
		return 0, false
	}
	defer m.mu.Unlock()
	return len(m.sessions), true
}

// Renew extends a session and refuses when the manager is empty.
func (m *Manager) Renew(id string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Len() == 0 { // HAZ lock-reentry-under-defer
		return ErrUnknown
	}
	s, ok := m.sessions[id]
	if !ok {
		return ErrUnknown
	}
	s.Touch(now)
	log.Printf("session %s renewed", id)
	return nil
}
