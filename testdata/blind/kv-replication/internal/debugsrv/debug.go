// Package debugsrv serves the operator debug endpoint: status, keys, latency and
// maintenance actions.
package debugsrv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"example.com/kvreplication/internal/raft"
	"example.com/kvreplication/internal/trace"
)

// Node is the subset of *raft.Node the endpoint uses.
type Node interface {
	Status() raft.Status
	Recorder() *trace.Recorder
	Snapshot(ctx context.Context) error
	TransferLeadership(ctx context.Context, target string) error
}

// Store is the subset of *kv.Store the endpoint uses.
type Store interface {
	Keys(prefix string) []string
	Len() int
	Compact() int
}

// Server is the debug HTTP server.
type Server struct {
	node     Node
	store    Store
	logger   *log.Logger
	inflight atomic.Int64

	mu   sync.Mutex
	hits map[string]int
}

// New builds the server.
func New(node Node, store Store, logger *log.Logger) *Server {
	return &Server{node: node, store: store, logger: logger, hits: make(map[string]int)}
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/status", s.withRecover(s.handleStatus))
	mux.HandleFunc("GET /debug/keys", s.handleKeys)
	mux.HandleFunc("GET /debug/latency", s.handleLatency)
	mux.HandleFunc("POST /debug/snapshot", s.handleSnapshot)
	mux.HandleFunc("POST /debug/snapshot-async", s.handleSnapshotAsync)
	mux.HandleFunc("POST /debug/transfer", s.handleTransfer)
	mux.HandleFunc("POST /debug/compact", s.handleCompact)
	mux.HandleFunc("GET /debug/hits", s.handleHits)
	return mux
}

func (s *Server) count(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[path]++
}

func respond(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("debugsrv: encode: %v", err)
	}
}

// withRecover turns a handler panic into a 500 and logs it.
func (s *Server) withRecover(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				s.logger.Printf("debugsrv: %s panicked: %v", r.URL.Path, p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h(w, r)
	}
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	st := s.node.Status()
	respond(w, map[string]any{
		"id":          st.ID,
		"role":        st.Role,
		"term":        st.Term,
		"leader":      st.Leader,
		"leader_addr": st.LeaderAddr,
		"commit":      st.CommitIndex,
		"last":        st.LastIndex,
		"applied":     st.Applied,
		"peers":       st.Peers,
		"lease":       st.LeaseValid,
	})
}

// logPanic reports a handler panic.
func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("debugsrv: panic in %s: %v", where, r)
	}
}

func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer func() {
		logPanic(s.logger, "keys")
		s.inflight.Add(-1)
	}()
	s.count(r.URL.Path)
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 100
	}
	keys := s.store.Keys(r.URL.Query().Get("prefix"))
	if len(keys) > limit {
		keys = keys[:limit]
	}
	respond(w, map[string]any{"total": s.store.Len(), "keys": keys})
}

func (s *Server) handleLatency(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	rec := s.node.Recorder()
	out := make(map[string]map[string]string)
	for _, op := range rec.Ops() {
		out[op] = map[string]string{
			"p50":   rec.Percentile(op, 50).String(),
			"p99":   rec.Percentile(op, 99).String(),
			"count": strconv.Itoa(rec.Count(op)),
		}
	}
	respond(w, out)
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	done := make(chan error)
	go func() { done <- s.node.Snapshot(context.Background()) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
		return
	}
}

func (s *Server) handleSnapshotAsync(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	done := make(chan error, 1)
	go func() { done <- s.node.Snapshot(context.WithoutCancel(r.Context())) }()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(2 * time.Second):
		w.WriteHeader(http.StatusAccepted)
	}
}

func (s *Server) handleTransfer(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	defer func() {
		report := func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				s.logger.Printf("debugsrv: transfer panicked: %v", p)
				http.Error(w, "transfer failed", http.StatusInternalServerError)
			}
		}
		report()
	}()
	target := r.URL.Query().Get("to")
	if target == "" {
		http.Error(w, "missing to", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.node.TransferLeadership(ctx, target); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCompact(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	defer s.logRequest(r.URL.Path, time.Now())
	n := s.store.Compact()
	respond(w, map[string]int{"removed": n})
}

func (s *Server) logRequest(path string, start time.Time) {
	s.logger.Printf("debugsrv: %s started at %s", path, start.Format(time.RFC3339Nano))
}

func (s *Server) handleHits(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	snapshot := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		snapshot[k] = v
	}
	s.mu.Unlock()
	respond(w, snapshot)
}

// ListenAndServe serves until ctx is cancelled, then shuts down with a deadline.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("debugsrv: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
