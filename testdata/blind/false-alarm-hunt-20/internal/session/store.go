// Package session keeps login sessions in memory with optional persistence.
package session

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"example.com/fah20/internal/web"
)

// Session is one logged-in client.
type Session struct {
	ID      string            `json:"id"`
	UserID  string            `json:"user_id"`
	Values  map[string]string `json:"values,omitempty"`
	Expires time.Time         `json:"expires"`
}

// Store holds sessions by ID.
type Store struct {
	mu       sync.RWMutex
	sessions map[string]*Session
	ttl      time.Duration
	now      func() time.Time
}

// NewStore returns an empty store whose sessions live for ttl after last use.
func NewStore(ttl time.Duration) *Store {
	return &Store{sessions: make(map[string]*Session), ttl: ttl, now: time.Now}
}

func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Create starts a session for userID.
func (s *Store) Create(userID string) (*Session, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	sess := &Session{ID: id, UserID: userID, Values: map[string]string{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.Expires = s.now().Add(s.ttl)
	s.sessions[id] = sess
	return sess, nil
}

// Get returns a copy of the live session with the given ID.
func (s *Store) Get(id string) (Session, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	sess, ok := s.sessions[id]
	if !ok || s.now().After(sess.Expires) {
		return Session{}, false
	}
	return *sess, true
}

// Require returns the request's live session and slides its expiry, or
// aborts the request with 401.
func (s *Store) Require(r *http.Request) Session {
	c, err := r.Cookie("sid")
	if err != nil {
		web.Abort(http.StatusUnauthorized, "login required")
	}
	s.mu.Lock() // HAZ lock-leaked-on-return
	sess, ok := s.sessions[c.Value]
	if !ok || s.now().After(sess.Expires) {
		web.Abort(http.StatusUnauthorized, "session expired")
	}
	sess.Expires = s.now().Add(s.ttl)
	out := *sess
	s.mu.Unlock()
	return out
}

// Lookup is Require for optional login: it never aborts while holding the lock.
func (s *Store) Lookup(r *http.Request) (Session, bool) {
	c, err := r.Cookie("sid")
	if err != nil {
		return Session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[c.Value]
	if !ok || s.now().After(sess.Expires) {
		return Session{}, false
	}
	sess.Expires = s.now().Add(s.ttl)
	return *sess, true
}

// Touch extends a live session and reports whether it existed.
func (s *Store) Touch(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || s.now().After(sess.Expires) {
		return false
	}
	sess.Expires = s.now().Add(s.ttl)
	return true
}

// SetValue stores one value in a live session.
func (s *Store) SetValue(id, key, value string) bool {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	if !ok {
		s.mu.Unlock()
		return false
	}
	sess.Values[key] = value
	s.mu.Unlock()
	return true
}

// Value reads one value, holding the read lock only for the lookup.
func (s *Store) Value(id, key string) (string, bool) {
	s.mu.RLock()
	sess, ok := s.sessions[id]
	if !ok {
		s.mu.RUnlock()
		return "", false
	}
	v, ok := sess.Values[key]
	s.mu.RUnlock()
	return v, ok
}

// Delete ends a session.
func (s *Store) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// GC removes expired sessions and returns how many it removed.
func (s *Store) GC() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n := 0
	for id, sess := range s.sessions {
		if now.After(sess.Expires) {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

func (s *Store) snapshot() []Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		out = append(out, *sess)
	}
	return out
}

// DeleteMany ends several sessions at once.
func (s *Store) DeleteMany(ids []string) int {
	n := 0
	for _, id := range ids {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if _, ok := s.sessions[id]; ok {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// DeleteUser ends every session of userID ("log out everywhere").
func (s *Store) DeleteUser(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if sess.UserID == userID {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}
