// Package server is the HTTP front end of the artifact store.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah17/internal/cache"
	"example.com/fah17/internal/index"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/store"
)

const (
	maxUpload   = 256 << 20
	maxWarm     = 1000
	peerTimeout = 2 * time.Second
	verifyLimit = 5 * time.Second
)

// Server serves blobs from a store, with a read cache in front.
type Server struct {
	store      *store.Store
	index      *index.Index
	cache      *cache.Cache[string, []byte]
	logger     *slog.Logger
	stats      *obs.Counters
	hc         *http.Client
	peers      []string
	inflight   sync.WaitGroup
	rebuilding atomic.Bool
}

// New returns a server; peers are the base URLs of the other replicas, told
// about every change.
func New(st *store.Store, ix *index.Index, logger *slog.Logger, peers []string) *Server {
	return &Server{
		store:  st,
		index:  ix,
		cache:  cache.New[string, []byte](5 * time.Minute),
		logger: logger,
		stats:  obs.NewCounters(),
		hc:     &http.Client{},
		peers:  slices.Clone(peers),
	}
}

// Routes returns the handler of the whole API.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{key}", s.handleGet)
	mux.HandleFunc("PUT /blobs/{key}", s.handlePut)
	mux.HandleFunc("DELETE /blobs/{key}", s.handleDelete)
	mux.HandleFunc("GET /blobs/{key}/verify", s.handleVerify)
	mux.HandleFunc("GET /blobs/{key}/meta", s.handleStat)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("POST /admin/rebuild", s.handleRebuild)
	mux.HandleFunc("POST /admin/warm", s.handleWarm)
	return s.withLogging(s.withRecover(mux))
}

// track counts a request as in flight and returns the function that ends it:
//
//	defer s.track("get")()
func (s *Server) track(name string) func() {
	s.inflight.Add(1)
	s.stats.Add("req_"+name, 1)
	return s.inflight.Done
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (rec *statusRecorder) WriteHeader(code int) {
	rec.status = code
	rec.ResponseWriter.WriteHeader(code)
}

func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

func (s *Server) writeError(w http.ResponseWriter, err error) {
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	s.logger.Error("request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func queryInt(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	return n
}

// notifyPeers tells every peer that key changed. It is best effort.
func (s *Server) notifyPeers(ctx context.Context, key string) {
	for _, p := range s.peers {
		u := fmt.Sprintf("%s/peer/invalidate?key=%s", p, url.QueryEscape(key))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
		if err != nil {
			s.logger.Warn("peer notify: bad request", "peer", p, "err", err)
			continue
		}
		resp, err := s.hc.Do(req)
		if err != nil {
			s.logger.Warn("peer notify failed", "peer", p, "err", err)
			continue
		}
		resp.Body.Close()
	}
}

// Drain waits until the requests in flight are done or ctx ends, and logs
// the final counters.
func (s *Server) Drain(ctx context.Context) error {
	defer s.stats.Snapshot().Log(s.logger) // HAZ defer-call-chain
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("drain: %w", context.Cause(ctx))
	}
}

// Close writes the store index and logs the counters.
func (s *Server) Close() error {
	err := s.store.Close()
	s.stats.Snapshot().Log(s.logger)
	return err
}
