package httpx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/falsealarm7/cache"
	"example.com/falsealarm7/eventbus"
)

// AuditEntry records one admin action.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Remote string    `json:"remote"`
}

// Server is the admin API.
type Server struct {
	mu      sync.RWMutex
	store   *cache.LRU[string, string]
	bus     *eventbus.Bus
	audit   chan AuditEntry
	auditMu sync.Mutex
	trail   []AuditEntry
	logger  *log.Logger
	started time.Time
}

// NewServer returns a server over store and bus and starts its audit
// writer, which stops when ctx ends.
func NewServer(ctx context.Context, store *cache.LRU[string, string], bus *eventbus.Bus, logger *log.Logger) *Server {
	s := &Server{store: store, bus: bus, audit: make(chan AuditEntry), logger: logger, started: time.Now()}
	go s.auditWriter(ctx)
	return s
}

func (s *Server) auditWriter(ctx context.Context) {
	for {
		select {
		case e := <-s.audit:
			s.auditMu.Lock()
			s.trail = append(s.trail, e)
			s.auditMu.Unlock()
		case <-ctx.Done():
			return
		}
	}
}

// tryAudit hands e to the audit writer, dropping it if the writer is busy.
func (s *Server) tryAudit(e AuditEntry) {
	select {
	case s.audit <- e:
	default:
		s.logger.Printf("httpx: audit entry dropped: %s %s", e.Method, e.Path)
	}
}

func entryFor(r *http.Request) AuditEntry {
	return AuditEntry{At: time.Now(), Method: r.Method, Path: r.URL.Path, Remote: ClientIP(r)}
}

// Handler returns the routed API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/keys/{key}", s.handleGet)
	mux.HandleFunc("PUT /v1/keys/{key}", s.handlePut)
	mux.HandleFunc("DELETE /v1/keys/{key}", s.handleDelete)
	mux.HandleFunc("GET /v1/stats", s.handleStats)
	mux.HandleFunc("POST /v1/purge", s.handlePurge)
	mux.HandleFunc("GET /v1/audit", s.handleAudit)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("httpx: encode response: %v", err)
	}
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	v, ok := s.store.Get(r.PathValue("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"value": v})
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	defer s.tryAudit(entryFor(r))
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.PathValue("key")
	evicted := s.store.Add(key, strings.TrimSpace(string(body)))
	s.bus.Notify(r.Context(), "cache.put", key)
	writeJSON(w, http.StatusOK, map[string]bool{"evicted": evicted})
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	defer func() { s.audit <- entryFor(r) }() // HAZ defer-blocking-call
	key := r.PathValue("key")
	if !s.store.Remove(key) {
		http.NotFound(w, r)
		return
	}
	s.bus.Notify(r.Context(), "cache.delete", key)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st := s.store.Stats()
	writeJSON(w, http.StatusOK, map[string]any{
		"hits":      st.Hits,
		"misses":    st.Misses,
		"evictions": st.Evictions,
		"len":       st.Len,
		"uptime":    time.Since(s.started).String(),
	})
}

// handlePurge purges the cache and waits for the purge notification to be
// delivered, but never longer than the request allows. The result channel
// is buffered, so the goroutine can always finish its send.
func (s *Server) handlePurge(w http.ResponseWriter, r *http.Request) {
	defer s.tryAudit(entryFor(r))
	done := make(chan error, 1)
	go func() {
		s.store.Purge()
		done <- s.bus.Publish(context.WithoutCancel(r.Context()), "cache.purge", nil)
	}()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
		http.Error(w, "timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	s.auditMu.Lock()
	trail := append([]AuditEntry(nil), s.trail...)
	s.auditMu.Unlock()
	writeJSON(w, http.StatusOK, trail)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fmt.Fprintf(w, "ok %s\n", time.Since(s.started).Round(time.Second))
}

// ListenAndServe serves until ctx ends, then shuts down within grace.
func (s *Server) ListenAndServe(ctx context.Context, addr string, grace time.Duration) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
