package fetch

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Store is the local side of the cache.
type Store interface {
	Get(digest string) ([]byte, bool)
	Pin(digest string) error
}

// Audit records accesses on a queue drained by one writer goroutine.
type Audit struct {
	events  chan string
	dropped atomic.Int64
	w       io.Writer
}

// NewAudit starts the drain goroutine writing to w.
func NewAudit(w io.Writer, depth int) *Audit {
	a := &Audit{events: make(chan string, depth), w: w}
	go a.drain()
	return a
}

func (a *Audit) drain() {
	for ev := range a.events {
		fmt.Fprintln(a.w, time.Now().UTC().Format(time.RFC3339), ev)
	}
}

// record queues ev, waiting for room in the queue.
func (a *Audit) record(ev string) {
	a.events <- ev
}

// tryRecord queues ev if there is room and counts it as dropped otherwise.
func (a *Audit) tryRecord(ev string) {
	select {
	case a.events <- ev:
	default:
		a.dropped.Add(1)
	}
}

// Handler serves the cache over HTTP: local hits directly, misses from the
// upstream.
type Handler struct {
	local Store
	up    *Upstream
	audit *Audit
	neg   *negCache
}

// NewHandler wires a handler.
func NewHandler(local Store, up *Upstream, audit *Audit) *Handler {
	return &Handler{local: local, up: up, audit: audit, neg: newNegCache(30 * time.Second)}
}

// Routes returns the handler's mux.
func (h *Handler) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/cas/", h)
	mux.HandleFunc("/pin", h.servePin)
	mux.HandleFunc("/stat", h.serveStat)
	return mux
}

// fill fetches digest from the upstream and hands the data (nil on a miss) to
// the waiting request.
func (h *Handler) fill(digest string, out chan<- []byte) {
	data, err := h.up.Fetch(digest)
	if err != nil {
		h.neg.markMissed(digest)
		data = nil
	}
	out <- data
}

// ServeHTTP serves GET /cas/{digest}.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	digest := strings.TrimPrefix(r.URL.Path, "/cas/")
	if data, ok := h.local.Get(digest); ok {
		w.Write(data)
		return
	}
	found := make(chan []byte)
	go h.fill(digest, found) // HAZ goroutine-blocked-send
	select {
	case data := <-found:
		if data == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	case <-r.Context().Done():
		return
	}
}

// serveUpstream is ServeHTTP's miss path with a buffered hand-off: an
// abandoned fill still completes its single send.
func (h *Handler) serveUpstream(w http.ResponseWriter, r *http.Request, digest string) {
	found := make(chan []byte, 1)
	go h.fill(digest, found)
	select {
	case data := <-found:
		if data == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	case <-r.Context().Done():
	}
}

// servePin pins a digest so that GC keeps it.
func (h *Handler) servePin(w http.ResponseWriter, r *http.Request) {
	digest := r.URL.Query().Get("digest")
	defer h.audit.record("pin " + digest) // HAZ defer-blocking-call
	if digest == "" {
		http.Error(w, "missing digest", http.StatusBadRequest)
		return
	}
	if err := h.local.Pin(digest); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveStat reports whether a digest is cached locally.
func (h *Handler) serveStat(w http.ResponseWriter, r *http.Request) {
	digest := r.URL.Query().Get("digest")
	defer h.audit.tryRecord("stat " + digest)
	if h.neg.recentlyMissed(digest) {
		http.Error(w, "recent upstream miss", http.StatusNotFound)
		return
	}
	if _, ok := h.local.Get(digest); !ok {
		if !h.neg.expired(digest) {
			http.NotFound(w, r)
			return
		}
		h.serveUpstream(w, r, digest)
		return
	}
	fmt.Fprintf(w, "%s cached\n", digest)
}
