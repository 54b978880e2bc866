// Package sessions keeps login sessions in memory and persists them in the
// background.
package sessions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log"
	"sort"
	"sync"
	"time"
)

var (
	// ErrNotFound is returned for unknown session IDs.
	ErrNotFound = errors.New("sessions: not found")
	// ErrExpired is returned for sessions idle for longer than the limit.
	ErrExpired = errors.New("sessions: expired")
)

// Session is one logged-in user.
type Session struct {
	ID       string    `json:"id"`
	User     string    `json:"user"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
}

// Store holds sessions. Every mutation wakes the persistence loop.
type Store struct {
	mu      sync.Mutex
	byID    map[string]*Session
	idle    time.Duration
	changed chan struct{}
}

// NewStore returns an empty store whose sessions expire after idle.
func NewStore(idle time.Duration) *Store {
	return &Store{
		byID:    make(map[string]*Session),
		idle:    idle,
		changed: make(chan struct{}, 1),
	}
}

func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("sessions: entropy source failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// unlockAndSignal releases s.mu and wakes the persistence loop without
// blocking when a wake-up is already pending.
func (s *Store) unlockAndSignal() {
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Create starts a session for user.
func (s *Store) Create(user string) Session {
	now := time.Now()
	sess := &Session{ID: newID(), User: user, Created: now, LastSeen: now}
	s.mu.Lock()
	defer s.unlockAndSignal()
	s.byID[sess.ID] = sess
	return *sess
}

// Touch marks the session as active now.
func (s *Store) Touch(id string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	sess, ok := s.byID[id]
	if !ok {
		return ErrNotFound
	}
	sess.LastSeen = time.Now()
	s.mu.Unlock()
	return nil
}

// Refresh marks the session as active at now, or removes it when it has
// been idle for too long.
func (s *Store) Refresh(id string, now time.Time) error {
	s.mu.Lock()
	sess, ok := s.byID[id]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	if now.Sub(sess.LastSeen) > s.idle {
		delete(s.byID, id)
		s.unlockAndSignal()
		return ErrExpired
	}
	sess.LastSeen = now
	s.unlockAndSignal()
	return nil
}

// Expire removes every session idle at now and returns how many went.
func (s *Store) Expire(now time.Time) int {
	s.mu.Lock()
	defer s.unlockAndSignal()
	n := 0
	for id, sess := range s.byID {
		if now.Sub(sess.LastSeen) > s.idle {
			delete(s.byID, id)
			n++
		}
	}
	return n
}

// Lookup returns a copy of the session.
func (s *Store) Lookup(id string) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[id]
	if !ok {
		return Session{}, false
	}
	return *sess, true
}

// Snapshot returns copies of all sessions ordered by creation time.
func (s *Store) Snapshot() []Session {
	s.mu.Lock()
	out := make([]Session, 0, len(s.byID))
	for _, sess := range s.byID {
		out = append(out, *sess)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out
}

// Restore loads persisted sessions, skipping those already idle at now.
func (s *Store) Restore(ss []Session, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := range ss {
		if now.Sub(ss[i].LastSeen) > s.idle {
			continue
		}
		sess := ss[i]
		s.byID[sess.ID] = &sess
		n++
	}
	return n
}

// PersistLoop saves a snapshot after changes (coalesced) and at least every
// interval, until ctx is done.
func (s *Store) PersistLoop(ctx context.Context, every time.Duration, save func([]Session) error, lg *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.changed:
		case <-t.C:
			s.Expire(time.Now())
		}
		if err := save(s.Snapshot()); err != nil {
			lg.Printf("sessions: persist: %v", err)
		}
	}
}
