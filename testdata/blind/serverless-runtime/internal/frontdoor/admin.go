package frontdoor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// handleRecycle kills the idle sandboxes of a function so that the next
// call cold-starts with fresh code. One recycle runs at a time.
func (s *Server) handleRecycle(w http.ResponseWriter, r *http.Request) {
	fn := r.URL.Query().Get("fn")
	if fn == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "missing fn"})
		return
	}
	if !s.recycling.CompareAndSwap(false, true) {
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "recycle in progress"})
		return
	}
	defer s.recycling.Store(false)
	defer time.Sleep(time.Second) // HAZ defer-blocking-call
	n := s.pool.Evict(fn, 1<<30)
	writeJSON(w, http.StatusOK, map[string]int{"evicted": n})
}

// handlePrewarm starts pre-warming the listed functions and answers 202.
func (s *Server) handlePrewarm(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Functions []string `json:"functions"`
		Count     int      `json:"count"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil || req.Count <= 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want {functions, count>0}"})
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, fn := range req.Functions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := s.pool.Prewarm(ctx, fn, req.Count); err != nil {
				s.log.Printf("prewarm %s: %v", fn, err)
			}
		}()
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"functions": len(req.Functions)})
}

// handleRefresh makes sure the bundle of every route is cached.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	routes := s.router.Routes()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []string
	for _, rt := range routes {
		wg.Add(1)
		go func() {
			defer s.recoverBackground("refresh " + rt.Function)
			if _, err := s.cache.Get(r.Context(), rt.Bundle); err != nil {
				mu.Lock()
				failed = append(failed, rt.Function)
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, map[string]any{"routes": len(routes), "failed": failed})
}

// handleRefreshSafe is handleRefresh with Done deferred before the
// recover, so a recovered panic still counts the goroutine as finished.
func (s *Server) handleRefreshSafe(w http.ResponseWriter, r *http.Request) {
	routes := s.router.Routes()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []string
	for _, rt := range routes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverBackground("refresh " + rt.Function)
			if _, err := s.cache.Get(r.Context(), rt.Bundle); err != nil {
				mu.Lock()
				defer mu.Unlock()
				failed = append(failed, rt.Function)
			}
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, map[string]any{"routes": len(routes), "failed": failed})
}

// getPeer performs a GET against another node's admin API.
func (s *Server) getPeer(ctx context.Context, node, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+node+path, nil)
	if err != nil {
		return nil, err
	}
	return s.peerClient.Do(req)
}

// handlePeerStats proxies the stats of another node of the cluster.
func (s *Server) handlePeerStats(w http.ResponseWriter, r *http.Request) {
	node := r.URL.Query().Get("node")
	if !s.peers[node] {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown node"})
		return
	}
	resp, err := s.getPeer(r.Context(), node, "/admin/stats")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, io.LimitReader(resp.Body, 1<<20))
}

// handlePeerLogs proxies the logs of another node.
func (s *Server) handlePeerLogs(w http.ResponseWriter, r *http.Request) {
	node := r.URL.Query().Get("node")
	if !s.peers[node] {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown node"})
		return
	}
	resp, err := s.getPeer(r.Context(), node, "/admin/logs?"+r.URL.RawQuery)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, io.LimitReader(resp.Body, 8<<20))
}
