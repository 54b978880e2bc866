// Package api is the small admin HTTP API used by the dashboard: enqueue,
// preview, stats and "run now".
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/mqworker/internal/mailer"
	"example.com/mqworker/internal/metrics"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/ratelimit"
)

// Server serves the admin API.
type Server struct {
	repo     *queue.Repo
	ready    *queue.MemQueue
	limiter  *ratelimit.Limiter
	renderer *mailer.Renderer
	metrics  *metrics.Registry
	log      *log.Logger
	wake     chan struct{}
}

// NewServer wires the API.
func NewServer(repo *queue.Repo, ready *queue.MemQueue, lim *ratelimit.Limiter, r *mailer.Renderer, reg *metrics.Registry, logger *log.Logger) *Server {
	return &Server{
		repo: repo, ready: ready, limiter: lim, renderer: r, metrics: reg, log: logger,
		wake: make(chan struct{}),
	}
}

// Wakeups is received from by the lease poller: a value means "new work,
// poll now instead of waiting for the next tick".
func (s *Server) Wakeups() <-chan struct{} { return s.wake }

// Handler returns the routed API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/jobs", s.handleEnqueue)
	mux.HandleFunc("POST /v1/jobs:bulk", s.handleBulk)
	mux.HandleFunc("POST /v1/jobs:cancel", s.handleCancel)
	mux.HandleFunc("POST /v1/jobs/{id}/reschedule", s.handleReschedule)
	mux.HandleFunc("POST /v1/templates/{id}/preview", s.handlePreview)
	mux.HandleFunc("POST /v1/poll", s.handlePoll)
	mux.HandleFunc("GET /v1/stats", s.handleStats)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return s.withRecover(mux)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: write response: %v", err)
	}
}

type enqueueRequest struct {
	Tenant  string          `json:"tenant"`
	Kind    queue.Kind      `json:"kind"`
	Payload json.RawMessage `json:"payload"`
	RunAt   time.Time       `json:"run_at"`
}

func (s *Server) handleEnqueue(w http.ResponseWriter, r *http.Request) {
	defer func() { s.wake <- struct{}{} }() // HAZ defer-blocking-call
	var req enqueueRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if req.Tenant == "" || (req.Kind != queue.KindEmail && req.Kind != queue.KindWebhook) {
		http.Error(w, "tenant and a known kind are required", http.StatusUnprocessableEntity)
		return
	}
	if !s.limiter.Allow("enqueue:" + req.Tenant) {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	j := &queue.Job{Tenant: req.Tenant, Kind: req.Kind, Payload: req.Payload, RunAt: req.RunAt, MaxAttempts: 8}
	if err := s.repo.Enqueue(r.Context(), j); err != nil {
		s.log.Printf("api: enqueue: %v", err)
		http.Error(w, "could not enqueue", http.StatusServiceUnavailable)
		return
	}
	s.metrics.Inc("api.enqueued")
	writeJSON(w, http.StatusAccepted, map[string]string{"id": j.ID})
}

type bulkResult struct {
	ID    string `json:"id,omitempty"`
	Error string `json:"error,omitempty"`
}

// handleBulk enqueues many jobs in parallel. Payloads come from tenants'
// own integrations, so a malformed one must not kill the request.
func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Printf("api: bulk enqueue panicked: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	var reqs []enqueueRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&reqs); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	results := make([]bulkResult, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			j := &queue.Job{Tenant: req.Tenant, Kind: req.Kind, Payload: req.Payload, RunAt: req.RunAt, MaxAttempts: 8}
			if err := s.repo.Enqueue(r.Context(), j); err != nil {
				results[i].Error = err.Error()
				return
			}
			results[i].ID = j.ID
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusMultiStatus, results)
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.metrics.Observe("api.cancel", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ids); err != nil || len(ids) == 0 {
		http.Error(w, "expected a JSON array of job ids", http.StatusBadRequest)
		return
	}
	n, err := s.repo.Cancel(r.Context(), ids)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"cancelled": n})
}

// kick wakes the poller.
func (s *Server) kick() {
	s.wake <- struct{}{}
	s.metrics.Inc("api.kicks")
}

func (s *Server) handleReschedule(w http.ResponseWriter, r *http.Request) {
	defer s.kick() // HAZ defer-blocking-call
	at, err := time.Parse(time.RFC3339, r.URL.Query().Get("at"))
	if err != nil {
		http.Error(w, "at must be RFC 3339", http.StatusBadRequest)
		return
	}
	if err := s.repo.Reschedule(r.Context(), r.PathValue("id"), at); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handlePoll nudges the poller without ever blocking the request.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request) {
	defer func() {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	var sample map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&sample); err != nil {
		http.Error(w, "bad sample data", http.StatusBadRequest)
		return
	}
	type rendered struct {
		msg *mailer.Message
		err error
	}
	ch := make(chan rendered)
	go func() {
		m, err := s.renderer.Preview(r.PathValue("id"), sample)
		ch <- rendered{m, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusUnprocessableEntity)
			return
		}
		if res.msg == nil {
			http.Error(w, "no preview", http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusOK, res.msg)
	case <-time.After(2 * time.Second):
		http.Error(w, "template took too long", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

type statsResponse struct {
	Queue   queue.QueueStats `json:"queue"`
	Tenants []string         `json:"tenants"`
	Pending map[string]int   `json:"pending"`
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	defer s.metrics.Track("api.stats")()
	tenants := s.limiter.Tenants()
	pending, err := s.repo.DepthByTenant(ctx, tenants)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, statsResponse{
		Queue:   queue.QueueStats{Depth: s.ready.Len()},
		Tenants: tenants,
		Pending: pending,
	})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// withRecover turns a handler panic into a 500 and a log line.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("api: %s %s panicked: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve runs the API on addr until ctx is cancelled, then shuts down with
// a bounded grace period.
func (s *Server) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Printf("api: shutdown: %v", err)
		}
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}
