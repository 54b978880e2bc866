package frontdoor

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// requestTimer measures one admin request; call the result when done.
func (s *Server) requestTimer(r *http.Request) func() {
	start := time.Now()
	return func() {
		s.agg.Observe("admin."+r.URL.Path, time.Since(start))
	}
}

// handleDelete removes a route and evicts its sandboxes, then notifies
// the cluster's audit service.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	fn := r.URL.Query().Get("fn")
	body, _ := json.Marshal(map[string]string{"action": "delete", "function": fn, "from": r.RemoteAddr})
	defer http.Post(s.cfg.AuditURL, "application/json", bytes.NewReader(body)) // HAZ defer-blocking-call
	if !s.router.Remove(fn) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such function"})
		return
	}
	n := s.pool.Evict(fn, 1<<30)
	writeJSON(w, http.StatusOK, map[string]int{"evicted": n})
}

// handleRoutes lists the routes, timing the request.
func (s *Server) handleRoutes(w http.ResponseWriter, r *http.Request) {
	defer s.requestTimer(r)()
	writeJSON(w, http.StatusOK, s.router.Routes())
}

// handleQuota sets a function's concurrency quota, timing the request.
func (s *Server) handleQuota(w http.ResponseWriter, r *http.Request) {
	defer s.requestTimer(r) // HAZ defer-func-result-not-called
	var req struct {
		Function string `json:"function"`
		Quota    int    `json:"quota"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<12)).Decode(&req); err != nil || req.Function == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want {function, quota}"})
		return
	}
	s.pool.SetQuota(req.Function, req.Quota)
	writeJSON(w, http.StatusOK, req)
}
