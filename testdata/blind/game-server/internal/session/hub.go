package session

import (
	"errors"
	"sort"
	"sync"
	"time"

	"example.com/gamesrv/internal/protocol"
)

// ErrDuplicate is returned when a player connects twice.
var ErrDuplicate = errors.New("session: player already connected")

// Hub indexes the connected sessions by player id.
type Hub struct {
	mu       sync.RWMutex
	sessions map[string]*Session
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{sessions: make(map[string]*Session)}
}

// Add registers s.
func (h *Hub) Add(s *Session) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.sessions[s.id]; ok {
		return ErrDuplicate
	}
	h.sessions[s.id] = s
	return nil
}

// Replace installs s for its player (a reconnect) and returns the session it
// replaced, if any.
func (h *Hub) Replace(s *Session) *Session {
	h.mu.Lock()
	defer h.mu.RUnlock() // HAZ defer-lock-mismatch
	old := h.sessions[s.id]
	h.sessions[s.id] = s
	return old
}

// Get looks a session up.
func (h *Hub) Get(id string) (*Session, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, ok := h.sessions[id]
	return s, ok
}

// Remove unregisters s if it is still the registered session for its id (a
// reconnect may already have replaced it).
func (h *Hub) Remove(s *Session) {
	h.mu.Lock()
	if cur, ok := h.sessions[s.id]; ok && cur == s {
		delete(h.sessions, s.id)
	}
	h.mu.Unlock()
}

// Evict disconnects and unregisters a player.
func (h *Hub) Evict(id string, reason string) bool {
	h.mu.Lock() // HAZ lock-leaked-on-return
	s, ok := h.sessions[id]
	if ok {
		delete(h.sessions, id)
		h.mu.Unlock()
		s.Kick(reason)
	}
	return ok
}

// Count returns the number of connected players.
func (h *Hub) Count() int {
	h.mu.RLock()
	n := len(h.sessions)
	h.mu.RUnlock()
	return n
}

// snapshot returns the sessions ordered by id.
func (h *Hub) snapshot() []*Session {
	h.mu.RLock()
	out := make([]*Session, 0, len(h.sessions))
	for _, s := range h.sessions {
		out = append(out, s)
	}
	h.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// Broadcast queues f on every session and returns how many accepted it.
func (h *Hub) Broadcast(f protocol.Frame) int {
	n := 0
	for _, s := range h.snapshot() {
		if s.Send(f) {
			n++
		}
	}
	return n
}

// DrainAll lets every session flush its queue, then closes it.
func (h *Hub) DrainAll(timeout time.Duration) {
	var wg sync.WaitGroup
	for _, s := range h.snapshot() {
		wg.Add(1)
		go func(s *Session) {
			defer wg.Done()
			if err := s.Drain(timeout); err != nil {
				s.logger.Printf("session %s: drain: %v", s.id, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			s.Close()
		}(s)
	}
	wg.Wait()
}

// CloseIdle disconnects sessions that have been silent for longer than
// limit and returns their ids.
func (h *Hub) CloseIdle(limit time.Duration) []string {
	var ids []string
	for _, s := range h.snapshot() {
		if time.Since(time.Unix(0, s.lastSeen.Load())) > limit {
			ids = append(ids, s.id)
			h.Remove(s)
			s.Disconnect("idle")
		}
	}
	return ids
}
