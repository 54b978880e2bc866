package frontdoor

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"example.com/faas/internal/bundle"
	"example.com/faas/internal/router"
	"example.com/faas/internal/sandbox"
)

type asyncResult struct {
	Status string `json:"status"`
	Output []byte `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The status line is out; all we can do is stop writing.
		return
	}
}

// statusFor maps runtime errors to HTTP status codes.
func statusFor(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, router.ErrNoRoute):
		return http.StatusNotFound
	case errors.Is(err, sandbox.ErrQuotaExceeded):
		return http.StatusTooManyRequests
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.Is(err, sandbox.ErrPoolClosed):
		return http.StatusServiceUnavailable
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusBadGateway
	}
}

// writeError answers with err's status and message.
func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, statusFor(err), map[string]string{"error": err.Error()})
}

// handleInvoke runs a function synchronously.
func (s *Server) handleInvoke(w http.ResponseWriter, r *http.Request) {
	fn := r.PathValue("fn")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		writeError(w, err)
		return
	}
	out, err := s.router.InvokeMetered(r.Context(), fn, body)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Faas-Function", fn)
	_, _ = w.Write(out)
}

// handleAsync queues a function and answers 202 with a result id.
func (s *Server) handleAsync(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	fn := r.PathValue("fn")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		writeError(w, err)
		return
	}
	id := fmt.Sprintf("%s-%d", fn, s.seq.Add(1))
	s.results.Store(id, asyncResult{Status: "running"})
	go func() { // HAZ goroutine-outside-recover
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.AsyncTimeout)
		defer cancel()
		out, err := s.router.Invoke(ctx, fn, body)
		res := asyncResult{Status: "done", Output: out}
		if err != nil {
			res = asyncResult{Status: "failed", Error: err.Error()}
		}
		s.results.Store(id, res)
	}()
	writeJSON(w, http.StatusAccepted, map[string]string{"id": id})
}

// handleResult returns the state of an asynchronous invocation.
func (s *Server) handleResult(w http.ResponseWriter, r *http.Request) {
	v, ok := s.results.Load(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown id"})
		return
	}
	res := v.(asyncResult)
	if res.Status != "running" {
		s.results.Delete(r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, res)
}

// handleBatch runs one function over several payloads concurrently.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	var req struct {
		Function string   `json:"function"`
		Payloads [][]byte `json:"payloads"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	results := make([]router.Result, len(req.Payloads))
	var wg sync.WaitGroup
	for i, p := range req.Payloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverBackground("batch " + req.Function)
			out, err := s.router.Invoke(r.Context(), req.Function, p)
			results[i] = router.Result{Output: out}
			if err != nil {
				results[i].Error = err.Error()
			}
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, results)
}

// handleHealth reports pool state, failing if the pool does not answer
// within two seconds.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	type probe struct {
		stats sandbox.PoolStats
		took  time.Duration
	}
	res := make(chan probe)
	go func() {
		start := time.Now()
		st := s.pool.Stats()
		res <- probe{st, time.Since(start)} // HAZ goroutine-blocked-send
	}()
	select {
	case p := <-res:
		writeJSON(w, http.StatusOK, map[string]any{
			"idle":     p.stats.Idle,
			"busy":     p.stats.Busy,
			"probe_ms": p.took.Milliseconds(),
		})
	case <-time.After(2 * time.Second):
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "pool unresponsive"})
	}
}

// handleReady is the readiness probe: ready unless draining, with a pool
// probe whose result channel has room for the late answer.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
		return
	}
	res := make(chan sandbox.PoolStats, 1)
	go func() { res <- s.pool.Stats() }()
	select {
	case st := <-res:
		writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "evictions": st.Evictions})
	case <-r.Context().Done():
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "timeout"})
	}
}

// saveBody writes the request body to path.
func saveBody(path string, body io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, body)
	return err
}

// handleUpload accepts a bundle archive, checks its manifest, and stores
// it in the cache.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	scratch, err := os.MkdirTemp(s.cfg.StagingDir, "upload-")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	defer os.RemoveAll(scratch) // HAZ defer-blocking-call
	archive := filepath.Join(scratch, "bundle.zip")
	if err := saveBody(archive, http.MaxBytesReader(w, r.Body, s.cfg.MaxBundle)); err != nil {
		writeError(w, err)
		return
	}
	m, err := bundle.Inspect(archive)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	ref, err := s.cache.Import(archive, m)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, ref)
}

// audit logs an admin action and its outcome.
func (s *Server) audit(r *http.Request, action, fn string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	s.log.Printf("audit: %s %s by %s: %s", action, fn, r.RemoteAddr, outcome)
}

// handleDeploy registers a route after making sure its bundle is cached.
func (s *Server) handleDeploy(w http.ResponseWriter, r *http.Request) {
	var rt router.Route
	var err error
	defer s.audit(r, "deploy", rt.Function, err) // HAZ defer-eager-evaluation
	if err = json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&rt); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if _, err = s.cache.Get(r.Context(), rt.Bundle); err != nil {
		writeError(w, err)
		return
	}
	if err = s.router.Register(rt); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, rt)
}

// handleLogs streams the most recent log lines as JSON lines.
func (s *Server) handleLogs(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("tail"))
	if err != nil || n <= 0 || n > 10000 {
		n = 200
	}
	lines := s.ring.Grep(r.URL.Query().Get("sandbox"), r.URL.Query().Get("q"), n)
	w.Header().Set("Content-Type", "application/x-ndjson")
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i := len(lines) - 1; i >= 0; i-- {
		if err := enc.Encode(lines[i]); err != nil {
			return
		}
	}
	if err := bw.Flush(); err != nil {
		s.log.Printf("logs: %v", err)
	}
}

// handleStats reports pool, router and cache numbers.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	usage, err := s.cache.Usage()
	if err != nil {
		s.log.Printf("stats: cache usage: %v", err)
	}
	flushes, failures := s.agg.Stats()
	writeJSON(w, http.StatusOK, map[string]any{
		"pool":            s.pool.Stats(),
		"inflight":        s.router.InFlight(),
		"routes":          len(s.router.Routes()),
		"cache_bytes":     usage,
		"metric_flushes":  flushes,
		"metric_failures": failures,
	})
}
