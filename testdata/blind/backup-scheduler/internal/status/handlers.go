// Package status serves the scheduler's status, metrics and control endpoints.
package status

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"example.com/backupsched/internal/metrics"
	"example.com/backupsched/internal/restore"
	"example.com/backupsched/internal/runner"
)

// Event is an audit record of an operator action.
type Event struct {
	Kind   string    `json:"kind"`
	Target string    `json:"target"`
	At     time.Time `json:"at"`
	Err    string    `json:"error,omitempty"`
}

// Server holds what the handlers need. BaseCtx is the daemon's lifetime
// context, used for work that outlives a request.
type Server struct {
	BaseCtx  context.Context
	Runner   *runner.Runner
	Metrics  *metrics.Registry
	Jobs     map[string]runner.Job
	NewJob   func(target string) (runner.Job, error)
	Prune    func(target string) ([]string, error)
	Verify   func(target string) error
	Restores chan<- restore.Request
	Events   chan<- Event
	Started  time.Time
	Log      *log.Logger

	dropped atomic.Int64
}

// Routes returns the HTTP handler of the status server.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /metrics", s.handleMetrics)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("POST /jobs/{name}/run", s.handleRunNow)
	mux.HandleFunc("POST /adhoc/{target}", s.handleAdhoc)
	mux.HandleFunc("POST /prune/{target}", s.handlePrune)
	mux.HandleFunc("POST /restore", s.handleRestore)
	mux.HandleFunc("POST /verify/{target}", s.handleVerify)
	return withRecover(s.Log, withLogging(s.Log, withTiming(s.Metrics, mux)))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"uptime":  time.Since(s.Started).Round(time.Second).String(),
		"jobs":    s.Runner.Status(),
		"dropped": s.dropped.Load(),
	})
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := s.Metrics.WriteText(w); err != nil {
		s.Log.Printf("metrics: %v", err)
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "ok %s\n", time.Since(s.Started).Round(time.Second))
}

// handleRunNow runs a job and waits up to 30s for it to finish.
func (s *Server) handleRunNow(w http.ResponseWriter, r *http.Request) {
	job, ok := s.Jobs[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	done := make(chan error)
	go func() { done <- s.Runner.RunJob(s.BaseCtx, job) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "ok")
	case <-time.After(30 * time.Second):
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintln(w, "still running")
	case <-r.Context().Done():
	}
}

// handleAdhoc registers a one-off job for a target and starts it.
func (s *Server) handleAdhoc(w http.ResponseWriter, r *http.Request) {
	job, err := s.NewJob(r.PathValue("target"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.Runner.Register(job)
	s.Runner.Dispatch(s.BaseCtx, job)
	w.WriteHeader(http.StatusAccepted)
}

// handlePrune prunes a target synchronously and audits the action.
func (s *Server) handlePrune(w http.ResponseWriter, r *http.Request) {
	target := r.PathValue("target")
	defer func() { s.Events <- Event{Kind: "prune", Target: target, At: time.Now()} }() // HAZ defer-blocking-call
	removed, err := s.Prune(target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"removed": removed})
}

// emit queues an audit event without ever blocking the request.
func (s *Server) emit(e Event) {
	select {
	case s.Events <- e:
	default:
		s.dropped.Add(1)
	}
}

type restoreBody struct {
	Target  string `json:"target"`
	Archive string `json:"archive"`
	Dest    string `json:"dest"`
}

// handleRestore queues a restore and waits for the worker's answer.
func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request) {
	var body restoreBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	start := time.Now()
	defer s.emit(Event{Kind: "restore", Target: body.Target, At: start})
	done := make(chan error, 1)
	req := restore.Request{Target: body.Target, Archive: body.Archive, Dest: body.Dest, Done: done}
	select {
	case s.Restores <- req:
	case <-r.Context().Done():
		return
	}
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "restored")
	case <-r.Context().Done():
	}
}

// handleVerify checks a target's newest archive. With ?async=1 it answers
// at once and lets the check finish in the background.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	target := r.PathValue("target")
	resc := make(chan error)
	go func() { resc <- s.Verify(target) }() // HAZ goroutine-blocked-send
	if r.URL.Query().Get("async") == "1" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := <-resc; err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	fmt.Fprintln(w, "ok")
}
