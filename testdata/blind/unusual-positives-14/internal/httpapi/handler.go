// Package httpapi serves rendered pages out of a generic cache.
package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"example.com/up14/internal/cache"
)

// Event describes one served request.
type Event struct {
	Path   string
	Status int
	Took   time.Duration
}

// Handler serves /pages/<key> from the cache, rendering misses.
type Handler struct {
	pages   *cache.Cache[string, []byte]
	events  chan<- Event
	render  func(ctx context.Context, key string) ([]byte, error)
	timeout time.Duration
	dropped atomic.Int64
}

// NewHandler returns a handler that reports every request on events.
func NewHandler(pages *cache.Cache[string, []byte], events chan<- Event, render func(context.Context, string) ([]byte, error), timeout time.Duration) *Handler {
	return &Handler{pages: pages, events: events, render: render, timeout: timeout}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (sw *statusWriter) WriteHeader(code int) {
	sw.status = code
	sw.ResponseWriter.WriteHeader(code)
}

func (h *Handler) record(path string, sw *statusWriter, start time.Time) {
	h.events <- Event{Path: path, Status: sw.status, Took: time.Since(start)}
}

func (h *Handler) tryRecord(path string, sw *statusWriter, start time.Time) {
	select {
	case h.events <- Event{Path: path, Status: sw.status, Took: time.Since(start)}:
	default:
		h.dropped.Add(1)
	}
}

// ServeHTTP serves a cached page, rendering and caching it on a miss.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer h.record(r.URL.Path, sw, start) // HAZ defer-blocking-call
	key := strings.TrimPrefix(r.URL.Path, "/pages/")
	if body, ok := h.pages.Get(key); ok {
		sw.Header().Set("X-Cache", "hit")
		sw.Write(body)
		return
	}
	body, err := h.render(r.Context(), key)
	if err != nil {
		http.Error(sw, err.Error(), http.StatusBadGateway)
		return
	}
	h.pages.Set(key, body)
	sw.Header().Set("X-Cache", "miss")
	sw.Write(body)
}

// Health reports the cache size; dropping its event under load is fine.
func (h *Handler) Health(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer h.tryRecord(r.URL.Path, sw, start)
	sw.Header().Set("Content-Type", "text/plain")
	sw.Write([]byte("ok\n"))
}

// Render renders ?key= without caching, within the handler's timeout.
func (h *Handler) Render(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	type result struct {
		body []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		body, err := h.render(r.Context(), key)
		done <- result{body, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(res.body)
	case <-time.After(h.timeout):
		http.Error(w, "render timed out", http.StatusGatewayTimeout)
	}
}
