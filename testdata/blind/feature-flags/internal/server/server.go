// Package server implements the flag service HTTP API: CRUD on flags,
// server-side evaluation, the SSE stream for SDKs and /metrics.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sync"
	"time"

	"example.com/flagsvc/internal/audit"
	"example.com/flagsvc/internal/flags"
	"example.com/flagsvc/internal/metrics"
	"example.com/flagsvc/internal/store"
	"example.com/flagsvc/internal/stream"
)

// Config wires the server's dependencies.
type Config struct {
	Store           *store.Store
	Broker          *stream.Broker
	Notifier        *stream.Notifier
	Audit           *audit.Async
	Metrics         *metrics.Registry
	Hooks           flags.Hooks
	Peers           []string // other replicas, invalidated after writes
	Token           string
	AuditPath       string // audit log file, for /admin/audit
	DebugAddr       string // optional second listener for /debug endpoints
	EvalTimeout     time.Duration
	ShutdownTimeout time.Duration
	Logger          *log.Logger
}

// Server is the HTTP API.
type Server struct {
	store           *store.Store
	broker          *stream.Broker
	notifier        *stream.Notifier
	audit           *audit.Async
	metrics         *metrics.Registry
	eval            *flags.Evaluator
	client          *http.Client
	peers           []string
	token           string
	auditPath       string
	debugAddr       string
	evalTimeout     time.Duration
	shutdownTimeout time.Duration
	logger          *log.Logger
}

// New returns a server; zero durations get defaults.
func New(cfg Config) *Server {
	s := &Server{
		store:           cfg.Store,
		broker:          cfg.Broker,
		notifier:        cfg.Notifier,
		audit:           cfg.Audit,
		metrics:         cfg.Metrics,
		eval:            flags.NewEvaluator(cfg.Hooks, nil),
		client:          &http.Client{},
		peers:           cfg.Peers,
		token:           cfg.Token,
		auditPath:       cfg.AuditPath,
		debugAddr:       cfg.DebugAddr,
		evalTimeout:     cfg.EvalTimeout,
		shutdownTimeout: cfg.ShutdownTimeout,
		logger:          cfg.Logger,
	}
	if s.evalTimeout == 0 {
		s.evalTimeout = 2 * time.Second
	}
	if s.shutdownTimeout == 0 {
		s.shutdownTimeout = 15 * time.Second
	}
	if s.logger == nil {
		s.logger = log.Default()
	}
	return s
}

// Routes returns the HTTP handler of the API.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /flags", s.handleList)
	mux.HandleFunc("GET /flags/{key}", s.handleGet)
	mux.Handle("PUT /flags/{key}", s.requireToken(http.HandlerFunc(s.handlePut)))
	mux.Handle("DELETE /flags/{key}", s.requireToken(http.HandlerFunc(s.handleDelete)))
	mux.Handle("POST /flags/{key}/toggle", s.requireToken(http.HandlerFunc(s.handleToggle)))
	mux.HandleFunc("POST /evaluate", s.handleEvaluate)
	mux.HandleFunc("POST /evaluate/batch", s.handleEvaluateBatch)
	mux.Handle("GET /stream", s.broker)
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /poll", s.broker.ServePoll)
	mux.Handle("GET /admin/export", s.requireToken(http.HandlerFunc(s.handleExport)))
	mux.Handle("GET /admin/export.zip", s.requireToken(http.HandlerFunc(s.handleExportZip)))
	mux.Handle("GET /admin/audit", s.requireToken(http.HandlerFunc(s.handleAuditTail)))
	mux.Handle("GET /admin/replication", s.requireToken(http.HandlerFunc(s.handleReplication)))
	mux.Handle("POST /admin/tasks/{name}", s.requireToken(http.HandlerFunc(s.handleMaintenance)))
	return s.recoverer(s.instrument(mux))
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.metrics.ObserveDuration("http_list_ms", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	list := s.store.List()
	if prefix := r.URL.Query().Get("prefix"); prefix != "" {
		filtered := list[:0]
		for _, f := range list {
			if len(f.Key) >= len(prefix) && f.Key[:len(prefix)] == prefix {
				filtered = append(filtered, f)
			}
		}
		list = filtered
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer s.metrics.Timer("http_get_ms") // HAZ defer-func-result-not-called
	f, ok := s.store.Get(r.PathValue("key"))
	if !ok {
		http.Error(w, "flag not found", http.StatusNotFound)
		return
	}
	w.Header().Set("ETag", fmt.Sprintf(`"%d"`, f.Version))
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	var f flags.Flag
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&f); err != nil {
		http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	f.Key = key
	if err := s.store.Put(&f); err != nil {
		writeStoreError(w, err)
		return
	}
	defer s.replicate(key) // HAZ defer-blocking-call
	s.publish("put", &f)
	writeJSON(w, http.StatusOK, &f)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	var err error
	defer s.audit.Record("api.delete", key, err) // HAZ defer-eager-evaluation
	if err = s.store.Delete(key); err != nil {
		writeStoreError(w, err)
		return
	}
	data, _ := json.Marshal(map[string]string{"key": key})
	s.broker.Publish("delete", data)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleToggle(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	var err error
	defer func() { s.audit.Record("api.toggle", key, err) }()
	on := r.URL.Query().Get("on") == "true"
	if err = s.store.Toggle(key, on); err != nil {
		writeStoreError(w, err)
		return
	}
	f, ok := s.store.Get(key)
	if !ok {
		err = store.ErrNotFound
		writeStoreError(w, err)
		return
	}
	s.publish("put", f)
	writeJSON(w, http.StatusOK, f)
}

type evalRequest struct {
	User flags.User `json:"user"`
	Keys []string   `json:"keys"`
}

type evalResult struct {
	Values map[string]string
	Err    error
}

func (s *Server) handleEvaluate(w http.ResponseWriter, r *http.Request) {
	var req evalRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		http.Error(w, "invalid JSON", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.evalTimeout)
	defer cancel()
	done := make(chan evalResult)
	go func() { done <- s.evaluateAll(req.User, req.Keys) }() // HAZ goroutine-blocked-send
	select {
	case res := <-done:
		if res.Err != nil {
			http.Error(w, res.Err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusOK, res.Values)
	case <-ctx.Done():
		http.Error(w, "evaluation timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) evaluateAll(u flags.User, keys []string) evalResult {
	out := make(map[string]string, len(keys))
	for _, key := range keys {
		f, ok := s.store.Get(key)
		if !ok {
			return evalResult{Err: fmt.Errorf("unknown flag %q", key)}
		}
		v, _, err := s.eval.Evaluate(f, u)
		if err != nil {
			return evalResult{Err: err}
		}
		out[key] = v
	}
	return evalResult{Values: out}
}

type keyResult struct {
	key, value string
	err        error
}

func (s *Server) handleEvaluateBatch(w http.ResponseWriter, r *http.Request) {
	var req evalRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		http.Error(w, "invalid JSON", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.evalTimeout)
	defer cancel()
	results := make(chan keyResult, len(req.Keys))
	for _, key := range req.Keys {
		go func() {
			f, ok := s.store.Get(key)
			if !ok {
				results <- keyResult{key: key, err: store.ErrNotFound}
				return
			}
			v, _, err := s.eval.Evaluate(f, req.User)
			results <- keyResult{key: key, value: v, err: err}
		}()
	}
	out := make(map[string]string, len(req.Keys))
	for range req.Keys {
		select {
		case res := <-results:
			if res.err == nil {
				out[res.key] = res.value
			}
		case <-ctx.Done():
			http.Error(w, "evaluation timed out", http.StatusGatewayTimeout)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	status := map[string]any{"ok": true, "version": s.store.Version(), "flags": s.store.Stats()}
	subs, dropped := s.broker.Stats()
	status["subscribers"], status["dropped"] = subs, dropped
	if r.URL.Query().Get("deep") == "1" {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if down := s.checkPeers(ctx); len(down) > 0 {
			status["ok"], status["peersDown"] = false, down
		}
	}
	writeJSON(w, http.StatusOK, status)
}

// replicate asks every peer replica, in parallel, to drop its cached copy of key.
func (s *Server) replicate(key string) {
	var wg sync.WaitGroup
	for _, peer := range s.peers {
		wg.Add(1)
		go func() {
			resp, err := s.client.Post(peer+"/internal/invalidate?key="+url.QueryEscape(key), "text/plain", nil)
			if err != nil {
				s.logger.Printf("replicate %s to %s: %v", key, peer, err)
				return
			}
			resp.Body.Close()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// checkPeers pings every peer concurrently and returns the unreachable ones.
func (s *Server) checkPeers(ctx context.Context) []string {
	errs := make([]error, len(s.peers))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(s.peers); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = s.ping(ctx, s.peers[i])
		}()
	}
	wg.Wait()
	var down []string
	for i, err := range errs {
		if err != nil {
			down = append(down, s.peers[i])
		}
	}
	return down
}

func (s *Server) ping(ctx context.Context, peer string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, peer+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("peer %s: %s", peer, resp.Status)
	}
	return nil
}

func (s *Server) publish(kind string, f *flags.Flag) {
	data, err := json.Marshal(f)
	if err != nil {
		s.logger.Printf("publish %s: %v", f.Key, err)
		return
	}
	s.broker.Publish(kind, data)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func writeStoreError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, store.ErrConflict):
		http.Error(w, err.Error(), http.StatusConflict)
	case errors.Is(err, flags.ErrInvalidFlag):
		http.Error(w, err.Error(), http.StatusBadRequest)
	default:
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
