// Package server exposes the tile cache over HTTP.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"example.com/up22/internal/cache"
	"example.com/up22/internal/safe"
)

// Origin loads a tile that is not cached.
type Origin func(ctx context.Context, key string) ([]byte, error)

// Server serves tiles and a small admin API.
type Server struct {
	tiles  *cache.Cache[string, []byte]
	origin Origin
	log    *log.Logger
	quit   chan struct{}

	mu     sync.Mutex
	paused bool
	limits map[string]int

	pmu       sync.Mutex
	persisted *sync.Cond
	pending   int
	flushReq  chan struct{}
}

// New returns a server backed by tiles and origin.
func New(tiles *cache.Cache[string, []byte], origin Origin, logger *log.Logger) *Server {
	s := &Server{
		tiles:    tiles,
		origin:   origin,
		log:      logger,
		quit:     make(chan struct{}),
		limits:   map[string]int{},
		flushReq: make(chan struct{}, 1),
	}
	s.persisted = sync.NewCond(&s.pmu)
	return s
}

// Routes returns the HTTP handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tiles/{key}", s.handleTile)
	mux.HandleFunc("GET /v2/tiles/{key}", s.handleTileCtx)
	mux.HandleFunc("POST /admin", s.handleAdmin)
	mux.HandleFunc("POST /admin/limits", s.handleLimits)
	mux.HandleFunc("POST /admin/reload", s.handleReload)
	mux.HandleFunc("POST /warm", s.handleWarm)
	mux.HandleFunc("POST /v2/warm", s.handleWarmSafe)
	mux.HandleFunc("PUT /tiles/{key}", s.handlePut)
	mux.HandleFunc("PUT /v2/tiles/{key}", s.handlePutAsync)
	mux.HandleFunc("GET /stats", s.handleStats)
	return s.recoverMW(mux)
}

// Stop releases goroutines that wait on the server's lifetime.
func (s *Server) Stop() {
	close(s.quit)
}

func (s *Server) recoverMW(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("%s %s: panic: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type tileResult struct {
	b   []byte
	err error
}

func (s *Server) handleTile(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if b, ok := s.tiles.Get(key); ok {
		w.Write(b)
		return
	}
	ch := make(chan tileResult)
	go func() {
		b, err := s.origin(context.WithoutCancel(r.Context()), key)
		select {
		case ch <- tileResult{b, err}: // HAZ goroutine-blocked-send
		case <-s.quit:
		}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		s.tiles.Set(key, res.b)
		w.Write(res.b)
	case <-r.Context().Done():
		return
	}
}

func (s *Server) handleTileCtx(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if b, ok := s.tiles.Get(key); ok {
		w.Write(b)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	ch := make(chan tileResult)
	go func() {
		b, err := s.origin(ctx, key)
		select {
		case ch <- tileResult{b, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		s.tiles.Set(key, res.b)
		w.Write(res.b)
	case <-ctx.Done():
		http.Error(w, "origin timeout", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Query().Get("action")
	s.mu.Lock() // HAZ lock-leaked-on-return
	switch action {
	case "pause":
		s.paused = true
	case "resume":
		s.paused = false
	case "":
		s.mu.Unlock()
		http.Error(w, "missing action", http.StatusBadRequest)
		return
	default:
		panic(fmt.Sprintf("admin: unsupported action %q", action))
	}
	paused := s.paused
	s.mu.Unlock()
	fmt.Fprintf(w, "paused=%t\n", paused)
}

func (s *Server) handleLimits(w http.ResponseWriter, r *http.Request) {
	var req map[string]string
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, v := range req {
		switch n, err := strconv.Atoi(v); {
		case err != nil:
			panic(fmt.Sprintf("limits: %s: %v", name, err))
		case n <= 0:
			delete(s.limits, name)
		default:
			s.limits[name] = n
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// reloadRequest is the body of POST /admin/reload.
type reloadRequest struct {
	Paused bool           `json:"paused"`
	Limits map[string]int `json:"limits"`
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request) {
	var cfg reloadRequest
	if err := json.NewDecoder(r.Body).Decode(&cfg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = make(map[string]int, len(cfg.Limits))
	for k, v := range cfg.Limits {
		s.limits[k] = v
	}
	s.applyPause(cfg.Paused) // HAZ lock-reentry-under-defer
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) applyPause(paused bool) {
	if paused {
		s.log.Printf("admin: pausing")
	}
	s.setPaused(paused)
}

func (s *Server) setPaused(paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused = paused
}

// Paused reports whether serving is paused.
func (s *Server) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st := s.tiles.Stats()
	s.mu.Lock()
	limits := make(map[string]int, len(s.limits))
	for k, v := range s.limits {
		limits[k] = v
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"hits": st.Hits, "misses": st.Misses, "len": st.Len,
		"limits": limits, "panics": safe.Panics.Load(),
	})
}
