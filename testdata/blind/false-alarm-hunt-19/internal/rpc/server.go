package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"example.com/fah19/internal/stop"
	"example.com/fah19/internal/storage"
	"example.com/fah19/internal/timeutil"
)

const (
	auditTimeout      = 2 * time.Second
	checkpointTimeout = 30 * time.Second
)

// Server serves the node's data and admin endpoints.
type Server struct {
	nodeID    string
	engine    *storage.Engine
	compactor *storage.Compactor
	stopper   *stop.Stopper
	auditURL  string
	hc        *http.Client
	mux       *http.ServeMux
	latency   *timeutil.Histogram
}

// NewServer wires the handlers.
func NewServer(nodeID string, e *storage.Engine, c *storage.Compactor, s *stop.Stopper, auditURL string) *Server {
	srv := &Server{
		nodeID:    nodeID,
		engine:    e,
		compactor: c,
		stopper:   s,
		auditURL:  auditURL,
		hc:        &http.Client{},
		mux:       http.NewServeMux(),
		latency:   timeutil.NewHistogram(time.Millisecond, 10*time.Millisecond, 100*time.Millisecond, time.Second),
	}
	srv.mux.HandleFunc("GET /kv/{key}", srv.handleGet)
	srv.mux.HandleFunc("GET /status", srv.handleStatus)
	srv.mux.HandleFunc("GET /tables", srv.handleTables)
	srv.mux.HandleFunc("GET /stats", srv.handleRangeStats)
	srv.mux.HandleFunc("POST /admin/flush", srv.handleFlush)
	srv.mux.HandleFunc("POST /admin/backup", srv.handleBackup)
	srv.mux.HandleFunc("POST /admin/compact", srv.handleCompact)
	srv.mux.HandleFunc("POST /admin/checkpoint", srv.handleCheckpoint)
	return srv
}

// audit records an admin action with the audit service.
func (s *Server) audit(ctx context.Context, action, target string) {
	if s.auditURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"node": s.nodeID, "action": action, "target": target})
	if err != nil {
		log.Printf("audit: %v", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(body))
	if err != nil {
		log.Printf("audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		log.Printf("audit %s %s: %v", action, target, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		log.Printf("audit %s %s: %s", action, target, resp.Status)
	}
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer timeutil.Measure(s.latency)()
	v, ok, err := s.engine.Get([]byte(r.PathValue("key")))
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	case !ok:
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(v)
	}
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	status := struct {
		Node   string              `json:"node"`
		Tasks  map[string]int      `json:"tasks"`
		Tables []storage.TableInfo `json:"tables"`
	}{s.nodeID, s.stopper.RunningTasks(), s.engine.Tables()}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(status); err != nil {
		log.Printf("status: %v", err)
	}
}

func (s *Server) handleTables(w http.ResponseWriter, r *http.Request) {
	defer timeutil.Measure(s.latency) // HAZ defer-func-result-not-called
	tables := s.engine.Tables()
	if l := r.URL.Query().Get("level"); l != "" {
		level, err := strconv.Atoi(l)
		if err != nil {
			http.Error(w, "bad level", http.StatusBadRequest)
			return
		}
		tables = s.engine.TablesAt(level)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(tables); err != nil {
		log.Printf("tables: %v", err)
	}
}

type rangeStats struct {
	Tables  int         `json:"tables"`
	Bytes   int64       `json:"bytes"`
	ByLevel map[int]int `json:"by_level"`
	Keys    int         `json:"keys"`
	Err     string      `json:"error,omitempty"`
}

// handleRangeStats computes statistics off the request goroutine, so that
// the handler stops waiting as soon as the client goes away.
func (s *Server) handleRangeStats(w http.ResponseWriter, r *http.Request) {
	resc := make(chan rangeStats)
	go func() {
		st := rangeStats{ByLevel: make(map[int]int)}
		for _, t := range s.engine.Tables() {
			st.Tables++
			st.Bytes += t.Size
			st.ByLevel[t.Level]++
		}
		n, err := s.engine.CountEntries(context.Background())
		st.Keys = n
		if err != nil {
			st.Err = err.Error()
		}
		resc <- st // HAZ goroutine-blocked-send
	}()
	select {
	case st := <-resc:
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(st); err != nil {
			log.Printf("stats: %v", err)
		}
	case <-r.Context().Done():
		return
	}
}

// handleFlush starts a background flush and answers at once. The handler
// recovers its own panics so that a bug answers 500 instead of killing the
// connection.
func (s *Server) handleFlush(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("flush handler: panic: %v", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	quiesce := r.URL.Query().Get("quiesce") == "true"
	go func() { // HAZ goroutine-outside-recover
		if err := s.engine.Flush(context.Background(), quiesce); err != nil {
			log.Printf("background flush: %v", err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if path == "" {
		http.Error(w, "missing path", http.StatusBadRequest)
		return
	}
	defer s.audit(r.Context(), "backup", path) // HAZ defer-blocking-call
	if err := s.engine.Backup(path); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCompact(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
		defer cancel()
		s.audit(ctx, "compact", "all")
	}()
	if err := s.compactor.CompactAll(r.Context()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleCheckpoint waits up to checkpointTimeout for the checkpoint. The
// result channel has room for the one send, so a checkpoint that outlives
// the request still completes and its goroutine exits.
func (s *Server) handleCheckpoint(w http.ResponseWriter, r *http.Request) {
	dir := filepath.Clean(r.URL.Query().Get("dir"))
	if dir == "." {
		http.Error(w, "missing dir", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), checkpointTimeout)
	defer cancel()

	done := make(chan error, 1)
	go func() { done <- s.engine.Checkpoint(dir) }()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-ctx.Done():
		http.Error(w, "checkpoint still running", http.StatusAccepted)
	}
}

// Serve serves on ln until ctx is done, then shuts down gracefully within a
// bounded time.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
