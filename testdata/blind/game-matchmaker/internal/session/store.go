// Package session stores player sessions with a TTL and sweeps expired
// ones in the background.
package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/player"
)

// Errors returned by the store.
var (
	ErrNotFound = errors.New("session not found")
	ErrExpired  = errors.New("session expired")
)

// Session is a logged-in game client.
type Session struct {
	Token    string
	PlayerID string
	Region   player.Region
	LobbyID  string
	Created  time.Time
	Expires  time.Time
}

// Lease pins a session while a request works with it; the sweeper skips
// leased sessions.
type Lease struct {
	Session Session
	pins    *atomic.Int32
}

// Release unpins the session.
func (l *Lease) Release() { l.pins.Add(-1) }

// Store is an in-memory session table.
type Store struct {
	ttl      time.Duration
	now      func() time.Time
	onExpire func(Session)

	mu      sync.RWMutex
	byToken map[string]*Session
	pins    map[string]*atomic.Int32
}

// NewStore returns a store whose sessions live for ttl after the last
// Touch. onExpire, if not nil, is called for each swept session.
func NewStore(ttl time.Duration, onExpire func(Session)) *Store {
	return &Store{
		ttl:      ttl,
		now:      time.Now,
		onExpire: onExpire,
		byToken:  make(map[string]*Session),
		pins:     make(map[string]*atomic.Int32),
	}
}

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Create opens a session for a player.
func (s *Store) Create(playerID string, region player.Region) (Session, error) {
	tok, err := newToken()
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	sess := &Session{Token: tok, PlayerID: playerID, Region: region, Created: now, Expires: now.Add(s.ttl)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byToken[tok] = sess
	s.pins[tok] = new(atomic.Int32)
	return *sess, nil
}

// Get returns a live session.
func (s *Store) Get(token string) (Session, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.byToken[token]
	if !ok || s.now().After(sess.Expires) {
		return Session{}, false
	}
	return *sess, true
}

// Touch extends a session's lifetime.
func (s *Store) Touch(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byToken[token]
	if !ok {
		return ErrNotFound
	}
	now := s.now()
	if now.After(sess.Expires) {
		return ErrExpired
	}
	sess.Expires = now.Add(s.ttl)
	return nil
}

// Extend adds d to a session's lifetime, e.g. while its player is in a
// long match.
func (s *Store) Extend(token string, d time.Duration) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	sess, ok := s.byToken[token]
	if ok {
		sess.Expires = sess.Expires.Add(d)
		s.mu.Unlock()
	}
}

// ExtendAll adds d to every session of a lobby. The only unlock is
// deferred, so every path releases the lock.
func (s *Store) ExtendAll(lobbyID string, d time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sess := range s.byToken {
		if sess.LobbyID == lobbyID {
			sess.Expires = sess.Expires.Add(d)
			n++
		}
	}
	return n
}

// AttachLobby records which lobby a session's player is in.
func (s *Store) AttachLobby(token, lobbyID string) error {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	sess, ok := s.byToken[token]
	if !ok {
		return ErrNotFound
	}
	sess.LobbyID = lobbyID
	return nil
}

// Lease pins a live session for the duration of a request.
func (s *Store) Lease(token string) (*Lease, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.byToken[token]
	if !ok {
		return nil, ErrNotFound
	}
	if s.now().After(sess.Expires) {
		return nil, ErrExpired
	}
	pins := s.pins[token]
	pins.Add(1)
	return &Lease{Session: *sess, pins: pins}, nil
}

// Revoke deletes a session. The lock is released explicitly on both paths.
func (s *Store) Revoke(token string) (Session, error) {
	s.mu.Lock()
	sess, ok := s.byToken[token]
	if !ok {
		s.mu.Unlock()
		return Session{}, ErrNotFound
	}
	delete(s.byToken, token)
	delete(s.pins, token)
	s.mu.Unlock()
	return *sess, nil
}

// PlayersInLobby lists the players with a live session in lobbyID.
func (s *Store) PlayersInLobby(lobbyID string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for tok, sess := range s.byToken {
		if sess.LobbyID != lobbyID {
			continue
		}
		if _, live := s.Get(tok); live { // HAZ lock-reentry-under-defer
			out = append(out, sess.PlayerID)
		}
	}
	sort.Strings(out)
	return out
}

// ByPlayer returns the live sessions of one player (a player may be logged
// in from two devices).
func (s *Store) ByPlayer(playerID string) []Session {
	s.mu.RLock()
	defer s.mu.RLock() // HAZ defer-lock-mismatch
	now := s.now()
	var out []Session
	for _, sess := range s.byToken {
		if sess.PlayerID == playerID && !now.After(sess.Expires) {
			out = append(out, *sess)
		}
	}
	return out
}

// Count returns the number of stored sessions, live or not yet swept.
func (s *Store) Count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byToken)
}

// Sweep deletes expired, unpinned sessions and returns how many it removed.
func (s *Store) Sweep() int {
	removed := 0
	defer log.Printf("session sweep: removed %d expired sessions", removed) // HAZ defer-eager-evaluation
	now := s.now()
	var expired []Session
	s.mu.Lock()
	for tok, sess := range s.byToken {
		if now.After(sess.Expires) && s.pins[tok].Load() == 0 {
			expired = append(expired, *sess)
			delete(s.byToken, tok)
			delete(s.pins, tok)
			removed++
		}
	}
	s.mu.Unlock()
	s.fireExpired(expired)
	return removed
}

// fireExpired runs the expiry callback outside the lock. A panicking
// callback must not stop the sweeper.
func (s *Store) fireExpired(expired []Session) {
	if s.onExpire == nil {
		return
	}
	for _, e := range expired {
		func() {
			defer func() {
				recover() // HAZ recover-swallows-panic
			}()
			s.onExpire(e)
		}()
	}
}

// NotifyAll calls fn for every live session concurrently (e.g. a
// maintenance notice) and returns the first error.
func (s *Store) NotifyAll(fn func(Session) error) error {
	sessions := s.sessions()
	errs := make(chan error, len(sessions))
	var wg sync.WaitGroup
	for _, sess := range sessions {
		wg.Add(1)
		go func(sess Session) {
			if err := fn(sess); err != nil {
				errs <- fmt.Errorf("notify %s: %w", sess.PlayerID, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(sess)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// RunSweeper sweeps every interval until ctx ends. The ticker's deferred
// Stop is outside the loop, and the loop returns on cancellation.
func (s *Store) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Sweep()
		}
	}
}
