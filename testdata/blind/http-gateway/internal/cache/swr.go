package cache

import (
	"context"
	"net/http"
	"time"
)

// StaleHandler serves stale entries while revalidating: if a fresh answer
// does not arrive within soft, the expired entry is served instead.
type StaleHandler struct {
	h    *Handler
	soft time.Duration
	pace <-chan time.Time
}

// NewStaleHandler wraps h. Responses are paced to at most one per tick of
// pace when pace is non-nil (used to protect fragile upstreams).
func NewStaleHandler(h *Handler, soft time.Duration, pace <-chan time.Time) *StaleHandler {
	return &StaleHandler{h: h, soft: soft, pace: pace}
}

// peek returns the entry for key even if it has expired.
func (c *LRU) peek(key string) (*Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	return el.Value.(*Entry), true
}

func (s *StaleHandler) fetch(ctx context.Context, r *http.Request, key string) *Entry {
	rec := newCapture(s.h.maxEntry)
	s.h.next.ServeHTTP(rec, r.WithContext(ctx))
	e := rec.entry(key, s.h.now().Add(s.h.ttl))
	if rec.status == http.StatusOK && !rec.overflow {
		s.h.lru.Add(e)
	}
	return e
}

// ServeHTTP answers from a fresh fetch, or from the stale entry after soft.
func (s *StaleHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !cacheable(r) {
		s.h.ServeHTTP(w, r)
		return
	}
	key := cacheKey(r)
	if e, ok := s.h.lru.Get(key, s.h.now()); ok {
		serveEntry(w, e, "HIT")
		return
	}
	stale, haveStale := s.h.lru.peek(key)
	fresh := make(chan *Entry)
	go func() { fresh <- s.fetch(context.WithoutCancel(r.Context()), r, key) }() // HAZ goroutine-blocked-send
	if !haveStale {
		serveEntry(w, <-fresh, "MISS")
		return
	}
	select {
	case e := <-fresh:
		serveEntry(w, e, "MISS")
	case <-time.After(s.soft):
		serveEntry(w, stale, "STALE")
	}
}

// ServePaced is ServeHTTP for fragile upstreams: each response waits for a
// pacing tick before the handler returns.
func (s *StaleHandler) ServePaced(w http.ResponseWriter, r *http.Request) {
	if s.pace != nil {
		defer func() { <-s.pace }() // HAZ defer-blocking-call
	}
	s.ServeHTTP(w, r)
}
