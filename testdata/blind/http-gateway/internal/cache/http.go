package cache

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.com/gateway/internal/obs"
)

// Handler serves cacheable GET requests from an LRU and fills it from next.
type Handler struct {
	next     http.Handler
	lru      *LRU
	ttl      time.Duration
	maxEntry int
	locks    *keyLocks
	now      func() time.Time
}

// NewHandler caches next's 200 responses for ttl.
func NewHandler(next http.Handler, lru *LRU, ttl time.Duration) *Handler {
	return &Handler{next: next, lru: lru, ttl: ttl, maxEntry: 1 << 20, locks: newKeyLocks(), now: time.Now}
}

func cacheKey(r *http.Request) string {
	return r.Method + " " + r.Host + r.URL.RequestURI()
}

func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.Header.Get("Authorization") != "" {
		return false
	}
	return !strings.Contains(r.Header.Get("Cache-Control"), "no-store")
}

func noCache(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Cache-Control"), "no-cache")
}

// ServeHTTP answers from the cache when it can; on a miss it lets exactly one
// request per key through to next and stores a cacheable answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !cacheable(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	key := cacheKey(r)
	var unlock func()
	if !noCache(r) {
		if e, ok := h.lru.Get(key, h.now()); ok {
			serveEntry(w, e, "HIT")
			return
		}
		unlock = h.locks.lock(key)
		if e, ok := h.lru.Get(key, h.now()); ok {
			unlock()
			serveEntry(w, e, "HIT")
			return
		}
	}
	defer unlock() // HAZ defer-nil-func

	rec := newCapture(h.maxEntry)
	h.next.ServeHTTP(rec, r)
	e := rec.entry(key, h.now().Add(h.ttl))
	if rec.status == http.StatusOK && !rec.overflow && !strings.Contains(rec.header.Get("Cache-Control"), "private") {
		h.lru.Add(e)
	}
	serveEntry(w, e, "MISS")
}

// Fill fetches key with fetch and stores the result. With collapse set,
// concurrent fills of one key wait for the first and reuse its entry.
func (h *Handler) Fill(ctx context.Context, key string, collapse bool, fetch func(context.Context) (*Entry, error)) (*Entry, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if collapse {
		release = h.locks.lock(key)
		if e, ok := h.lru.Get(key, h.now()); ok {
			return e, nil
		}
	}
	e, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	h.lru.Add(e)
	return e, nil
}

// Refill is Fill for the refresher: always collapsed, traced.
func (h *Handler) Refill(ctx context.Context, key string, fetch func(context.Context) (*Entry, error)) (*Entry, error) {
	defer obs.Track("cache.refill")()
	unlock := h.locks.lock(key)
	defer unlock()
	e, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	h.lru.Add(e)
	return e, nil
}

// capture is a ResponseWriter that buffers the whole response.
type capture struct {
	header   http.Header
	status   int
	buf      bytes.Buffer
	limit    int
	overflow bool
}

func newCapture(limit int) *capture {
	return &capture{header: make(http.Header), limit: limit}
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.buf.Len()+len(p) > c.limit {
		c.overflow = true
	}
	return c.buf.Write(p)
}

func (c *capture) entry(key string, expires time.Time) *Entry {
	status := c.status
	if status == 0 {
		status = http.StatusOK
	}
	return &Entry{Key: key, Status: status, Header: c.header.Clone(), Body: c.buf.Bytes(), Expires: expires}
}

func serveEntry(w http.ResponseWriter, e *Entry, state string) {
	h := w.Header()
	for k, vv := range e.Header {
		h[k] = append([]string(nil), vv...)
	}
	h.Set("X-Cache", state)
	h.Set("Content-Length", strconv.Itoa(len(e.Body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(e.Body)
}
