package httpmw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

type session struct {
	user    string
	expires time.Time
}

// SessionStore keeps login sessions in memory.
type SessionStore struct {
	mu       sync.Mutex
	sessions map[string]session
	ttl      time.Duration
}

// NewSessionStore returns an empty store whose sessions live for ttl.
func NewSessionStore(ttl time.Duration) *SessionStore {
	return &SessionStore{sessions: make(map[string]session), ttl: ttl}
}

// StartJanitor removes expired sessions every interval until ctx is done.
func (s *SessionStore) StartJanitor(ctx context.Context, every time.Duration) {
	go s.janitor(ctx, every)
}

func (s *SessionStore) janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
sweep:
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.mu.Lock() // HAZ lock-leaked-on-return
			if len(s.sessions) == 0 {
				continue sweep
			}
			for id, sess := range s.sessions {
				if now.After(sess.expires) {
					delete(s.sessions, id)
				}
			}
			s.mu.Unlock()
		}
	}
}

// Create starts a session for user and returns its id.
func (s *SessionStore) Create(user string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = session{user: user, expires: time.Now().Add(s.ttl)}
	return id, nil
}

// lookup returns the user of a live session.
func (s *SessionStore) lookup(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || time.Now().After(sess.expires) {
		return "", false
	}
	return sess.user, true
}

type userKey struct{}

// Middleware rejects requests without a live session cookie.
func (s *SessionStore) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		user, ok := s.lookup(c.Value)
		if !ok {
			http.Error(w, "session expired", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
	})
}

// StartPruner drops idle rate-limit buckets every interval until ctx is done.
func (l *Limiter) StartPruner(ctx context.Context, every, idle time.Duration) {
	go l.pruneLoop(ctx, every, idle)
}

func (l *Limiter) pruneLoop(ctx context.Context, every, idle time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
prune:
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			l.mu.Lock()
			if len(l.buckets) == 0 {
				l.mu.Unlock()
				continue prune
			}
			for key, b := range l.buckets {
				if now.Sub(b.last) > idle {
					delete(l.buckets, key)
				}
			}
			l.mu.Unlock()
		}
	}
}
