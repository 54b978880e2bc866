package httpapi

import (
	"context"
	"net/http"
	"time"
)

// handleGC runs one garbage-collection sweep now.
func (s *Server) handleGC(w http.ResponseWriter, r *http.Request) {
	if s.gc == nil {
		http.Error(w, "garbage collection is not enabled", http.StatusNotImplemented)
		return
	}
	n, err := s.gc.SweepNow()
	if err != nil {
		s.log.Printf("httpapi: gc: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]int{"removed": n})
}

// handleReindex starts a full index rebuild in the background. The rebuild
// goroutine recovers its own panics: the handler's recover cannot see them.
func (s *Server) handleReindex(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	if s.rebuild == nil {
		http.Error(w, "reindex is not configured", http.StatusNotImplemented)
		return
	}
	go func() {
		defer func() {
			if v := recover(); v != nil {
				s.log.Printf("httpapi: reindex panicked: %v", v)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		fresh, err := s.rebuild(ctx)
		if err != nil {
			s.log.Printf("httpapi: reindex: %v", err)
			return
		}
		s.idx.Replace(fresh)
		if err := s.idx.SaveTo(s.indexPath); err != nil {
			s.log.Printf("httpapi: reindex: save: %v", err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// handleInvalidate drops one path from this cache and its peers.
func (s *Server) handleInvalidate(w http.ResponseWriter, r *http.Request) {
	path := r.FormValue("path")
	if path == "" {
		http.Error(w, "missing path", http.StatusBadRequest)
		return
	}
	s.proxy.Evict(path)
	w.WriteHeader(http.StatusNoContent)
}

// handleStats reports index and upstream figures.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	latency := make(map[string]string)
	for op, d := range s.up.MeanLatency() {
		latency[op] = d.String()
	}
	writeJSON(w, map[string]any{
		"modules":  len(s.idx.Modules()),
		"versions": s.idx.VersionCount(),
		"latency":  latency,
	})
}
