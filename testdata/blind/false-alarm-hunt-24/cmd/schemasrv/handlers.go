package main

import (
	"encoding/json"
	"log"
	"maps"
	"net/http"
	"sync"
	"time"

	"example.com/fah24/internal/cache"
)

type server struct {
	store     *cache.Store
	cachePath string
	debounce  time.Duration
	log       *log.Logger

	mu     sync.Mutex
	served map[string]int
}

func newServer(store *cache.Store, cachePath string, logger *log.Logger) *server {
	return &server{store: store, cachePath: cachePath, debounce: 2 * time.Second, log: logger, served: make(map[string]int)}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /schemas/{name}", s.handleGet)
	mux.HandleFunc("GET /schemas", s.handleList)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("DELETE /schemas/{name}", s.handleInvalidate)
	mux.HandleFunc("POST /save", s.handleSave)
	return mux
}

// handleGet serves one cached schema. The access log line is written by a
// deferred closure that receives the start time as an argument on purpose.
func (s *server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer func(start time.Time) {
		s.log.Printf("%s %s %v", r.Method, r.URL.Path, time.Since(start))
	}(time.Now())
	name := r.PathValue("name")
	data, ok := s.store.Get(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.count(name)
	w.Header().Set("Content-Type", "application/schema+json")
	w.Write(data)
}

func (s *server) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served[name]++
}

func (s *server) handleList(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.store.Keys()); err != nil {
		s.log.Printf("list: %v", err)
	}
}

// handleStats copies the counters under the lock and encodes outside it,
// so a slow client does not block handleGet.
func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	served := maps.Clone(s.served)
	s.mu.Unlock()
	resp := struct {
		Served map[string]int `json:"served"`
		Cache  cache.Stats    `json:"cache"`
	}{served, s.store.Stats()}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(resp); err != nil {
		s.log.Printf("stats: %v", err)
	}
}

// handleInvalidate drops one schema from the cache and persists the cache.
func (s *server) handleInvalidate(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !s.store.Delete(name) {
		http.NotFound(w, r)
		return
	}
	defer s.persistSoon() // HAZ defer-blocking-call
	w.WriteHeader(http.StatusNoContent)
}

// persistSoon waits for a burst of invalidations to settle, then writes
// the cache file.
func (s *server) persistSoon() {
	time.Sleep(s.debounce)
	if err := s.store.Snapshot().Persist(s.cachePath); err != nil {
		s.log.Printf("persist: %v", err)
	}
}

// handleSave writes the cache file now and reports the outcome. The
// deferred call only logs, with a start time snapshot taken on entry.
func (s *server) handleSave(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.logSlow("save", start)
	if err := s.store.Snapshot().Persist(s.cachePath); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) logSlow(what string, start time.Time) {
	if d := time.Since(start); d > 500*time.Millisecond {
		s.log.Printf("%s took %v", what, d)
	}
}
