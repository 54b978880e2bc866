// Package authn holds the session cache of the auth service.
package authn

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

type Session struct {
	ID        string
	UserID    string
	ExpiresAt time.Time
	Scopes    []string
}

type SessionStore interface {
	Save(ctx context.Context, s Session) error
	Delete(ctx context.Context, id string) error
}

// SessionCache is the write-through cache in front of the session store.
type SessionCache struct {
	mu        sync.Mutex
	sessions  map[string]*Session
	byUser    map[string]map[string]struct{}
	store     SessionStore
	log       *slog.Logger
	now       func() time.Time
	evictions atomic.Int64
}

func NewSessionCache(store SessionStore, log *slog.Logger) *SessionCache {
	return &SessionCache{
		sessions: make(map[string]*Session),
		byUser:   make(map[string]map[string]struct{}),
		store:    store,
		log:      log,
		now:      time.Now,
	}
}

func (c *SessionCache) Put(s *Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions[s.ID] = s
	ids, ok := c.byUser[s.UserID]
	if !ok {
		ids = make(map[string]struct{})
		c.byUser[s.UserID] = ids
	}
	ids[s.ID] = struct{}{}
}

// Remove drops a session (logout).
func (c *SessionCache) Remove(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(id)
}

func (c *SessionCache) removeLocked(id string) {
	s, ok := c.sessions[id]
	if !ok {
		return
	}
	delete(c.sessions, id)
	if ids := c.byUser[s.UserID]; ids != nil {
		delete(ids, id)
		if len(ids) == 0 {
			delete(c.byUser, s.UserID)
		}
	}
}

func (c *SessionCache) evict(id, reason string) {
	c.evictions.Add(1)
	c.log.Info("evicting session", "id", id, "reason", reason)
	c.Remove(id)
}

// Sweep evicts expired sessions; it runs every minute.
func (c *SessionCache) Sweep(now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for id, s := range c.sessions {
		if now.After(s.ExpiresAt) {
			c.evict(id, "expired") // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// RevokeUser drops every session of a user (password change).
func (c *SessionCache) RevokeUser(userID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for id := range c.byUser[userID] {
		c.removeLocked(id) // ok: lock-free helper
		n++
	}
	return n
}

// Touch extends a session and persists the new expiry in the background.
func (c *SessionCache) Touch(id string, ttl time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sessions[id]
	if !ok {
		return false
	}
	s.ExpiresAt = c.now().Add(ttl)
	go c.persist(id) // ok: runs on its own goroutine and waits for Touch to unlock
	return true
}

func (c *SessionCache) persist(id string) {
	c.mu.Lock()
	s, ok := c.sessions[id]
	var snap Session
	if ok {
		snap = *s
	}
	c.mu.Unlock()
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.store.Save(ctx, snap); err != nil {
		c.log.Warn("persist session", "id", id, "err", err)
	}
}
