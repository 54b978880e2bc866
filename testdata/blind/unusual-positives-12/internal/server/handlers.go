package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/get/", s.handleGet)
	mux.HandleFunc("/ingest", s.handleIngest)
	mux.HandleFunc("/ingest-async", s.handleIngestAsync)
	mux.HandleFunc("/flush", s.handleFlush)
	mux.HandleFunc("/quota", s.handleQuota)
	mux.HandleFunc("/services", s.handleServices)
	mux.HandleFunc("/markdown", s.handleMarkDown)
	mux.HandleFunc("/markdown-async", s.handleMarkDownAsync)
	return mux
}

// handleGet serves a cached object.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/get/")
	v, ok := s.cache.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(v)
}

// handleIngest stores the posted object and pushes the cache state upstream.
func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) {
	defer s.flushUpstream(r.Context()) // HAZ defer-blocking-call
	key := r.URL.Query().Get("key")
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.cache.Put(key, body, 10*time.Minute)
	w.WriteHeader(http.StatusAccepted)
}

// handleIngestAsync stores the object and asks the flush loop to push,
// without waiting for it.
func (s *Server) handleIngestAsync(w http.ResponseWriter, r *http.Request) {
	defer s.requestFlush()
	key := r.URL.Query().Get("key")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || key == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.cache.Put(key, body, 10*time.Minute)
	w.WriteHeader(http.StatusAccepted)
}

// handleFlush asks the flush loop for an immediate push once the response
// is written.
func (s *Server) handleFlush(w http.ResponseWriter, r *http.Request) {
	defer func() { s.flushReq <- struct{}{} }() // HAZ defer-blocking-call
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fmt.Fprintln(w, s.cache.String())
}

// handleServices lists healthy services; the bounded push runs after it.
func (s *Server) handleServices(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		s.flushUpstream(ctx)
	}()
	names := strings.Split(r.URL.Query().Get("names"), ",")
	json.NewEncoder(w).Encode(s.reg.HealthyNames(names))
}

type quota struct {
	User  string `json:"user"`
	Limit int    `json:"limit"`
	Used  int    `json:"used"`
}

// loadQuota computes a user's quota from the cache and reports it on out.
func (s *Server) loadQuota(user string, out chan<- quota) {
	q := quota{User: user, Limit: 1000}
	for _, k := range s.cache.TopKeys(1000) {
		if strings.HasPrefix(k, user+"/") {
			q.Used++
		}
	}
	out <- q
}

// handleQuota reports the caller's quota.
func (s *Server) handleQuota(w http.ResponseWriter, r *http.Request) {
	user := r.Header.Get("X-User")
	ch := make(chan quota)
	go s.loadQuota(user, ch) // HAZ goroutine-blocked-send
	if r.Method != http.MethodGet {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	q := <-ch
	json.NewEncoder(w).Encode(q)
}

// handleQuotaChecked validates before starting the computation and buffers
// the answer so a client that goes away does not strand the goroutine.
func (s *Server) handleQuotaChecked(w http.ResponseWriter, r *http.Request) {
	user := r.Header.Get("X-User")
	if user == "" {
		http.Error(w, "missing X-User", http.StatusUnauthorized)
		return
	}
	ch := make(chan quota, 1)
	go s.loadQuota(user, ch)
	select {
	case q := <-ch:
		json.NewEncoder(w).Encode(q)
	case <-r.Context().Done():
	}
}
