package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/metrics"
)

const maxReviewBytes = 3 << 20

// Options configures a Server.
type Options struct {
	Validators []Validator
	Mutators   []Mutator
	AuditURL   string
	AuditFile  string
	Logger     *log.Logger
	Metrics    *metrics.Registry
}

type pathStats struct {
	Requests int
	Denied   int
	Total    time.Duration
}

// Server answers admission reviews.
type Server struct {
	validators []Validator
	mutators   []Mutator
	auditURL   string
	auditFile  string
	httpClient *http.Client
	log        *log.Logger
	metrics    *metrics.Registry

	mu    sync.Mutex
	stats map[string]*pathStats
}

// NewServer returns a webhook server.
func NewServer(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	return &Server{
		validators: opts.Validators,
		mutators:   opts.Mutators,
		auditURL:   opts.AuditURL,
		auditFile:  opts.AuditFile,
		httpClient: &http.Client{},
		log:        opts.Logger,
		metrics:    opts.Metrics,
		stats:      map[string]*pathStats{},
	}
}

// Handler returns the HTTP handler serving every webhook path.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /validate", s.handleValidate)
	mux.HandleFunc("POST /mutate", s.handleMutate)
	mux.HandleFunc("POST /validate-delete", s.handleValidateDelete)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.Handle("GET /metrics", s.withPanicReport(s.metrics.Handler()))
	return s.withRecovery(mux)
}

// withRecovery turns handler panics into 500s and keeps serving.
func (s *Server) withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.log.Printf("webhook: panic serving %s: %v\n%s", r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withPanicReport counts panics of the wrapped handler.
func (s *Server) withPanicReport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.reportPanic(r.URL.Path, recover()) // HAZ recover-ineffective
		next.ServeHTTP(w, r)
	})
}

func (s *Server) reportPanic(path string, v any) {
	if v == nil {
		return
	}
	s.log.Printf("webhook: recovered panic on %s: %v", path, v)
	s.metrics.Counter("webhook_panics_total").Inc()
}

// recoverPanic is deferred directly by handlers: it answers 500 instead of
// dropping the connection.
func (s *Server) recoverPanic(w http.ResponseWriter) {
	if rec := recover(); rec != nil {
		s.log.Printf("webhook: admission handler panic: %v", rec)
		http.Error(w, fmt.Sprintf("admission webhook failed: %v", rec), http.StatusInternalServerError)
	}
}

func (s *Server) decodeReview(r *http.Request) (*AdmissionReview, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, fmt.Errorf("webhook: unsupported content type %q", r.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxReviewBytes))
	if err != nil {
		return nil, fmt.Errorf("webhook: read body: %w", err)
	}
	var review AdmissionReview
	if err := json.Unmarshal(body, &review); err != nil {
		return nil, fmt.Errorf("webhook: decode review: %w", err)
	}
	if review.Request == nil {
		return nil, errors.New("webhook: review has no request")
	}
	return &review, nil
}

func (s *Server) writeReview(w http.ResponseWriter, review *AdmissionReview) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(review); err != nil {
		s.log.Printf("webhook: write review %s: %v", review.Request.UID, err)
	}
}

// handleValidate runs every validator and records an audit entry.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request) {
	defer s.recoverPanic(w)
	start := time.Now()
	review, err := s.decodeReview(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	review.Response = s.admit(r.Context(), review.Request)
	go s.recordAudit(review, time.Since(start)) // HAZ goroutine-outside-recover
	s.writeReview(w, review)
}

// handleMutate computes the defaulting patch, giving up when the API server
// stops waiting.
func (s *Server) handleMutate(w http.ResponseWriter, r *http.Request) {
	review, err := s.decodeReview(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	done := make(chan *AdmissionResponse)
	go func() {
		done <- s.mutate(review.Request) // HAZ goroutine-blocked-send
	}()
	select {
	case resp := <-done:
		review.Response = resp
		s.writeReview(w, review)
	case <-r.Context().Done():
		http.Error(w, "admission timed out", http.StatusGatewayTimeout)
	}
}

// handleValidateDelete enforces deletion protection and audits the decision
// to the external audit sink.
func (s *Server) handleValidateDelete(w http.ResponseWriter, r *http.Request) {
	review, err := s.decodeReview(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.notifyAudit(review) // HAZ defer-blocking-call
	resp := Allowed(review.Request.UID)
	if err := (DeletionProtection{}).Validate(r.Context(), review.Request); err != nil {
		resp = Denied(review.Request.UID, http.StatusForbidden, "%v", err)
	}
	review.Response = resp
	s.writeReview(w, review)
}

func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	defer s.recoverPanic(w)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.Stats()); err != nil {
		s.log.Printf("webhook: write stats: %v", err)
	}
}

// admit runs the validators in order; the first rejection wins.
func (s *Server) admit(ctx context.Context, req *AdmissionRequest) *AdmissionResponse {
	start := time.Now()
	var err error
	defer s.logDecision(req, start, err) // HAZ defer-eager-evaluation
	for _, v := range s.validators {
		if err = v.Validate(ctx, req); err != nil {
			return Denied(req.UID, http.StatusForbidden, "%v", err)
		}
	}
	return Allowed(req.UID)
}

func (s *Server) logDecision(req *AdmissionRequest, start time.Time, err error) {
	took := time.Since(start)
	s.observe("/validate", err != nil, took)
	if err != nil {
		s.log.Printf("webhook: denied %s %s by %s in %v: %v", req.Operation, req.UID, req.User, took, err)
		return
	}
	s.log.Printf("webhook: allowed %s %s in %v", req.Operation, req.UID, took)
}

// mutate collects the patches of every mutator.
func (s *Server) mutate(req *AdmissionRequest) *AdmissionResponse {
	w, err := decodeObject(req.Object)
	if err != nil {
		return Denied(req.UID, http.StatusBadRequest, "%v", err)
	}
	var ops []PatchOp
	for _, m := range s.mutators {
		ops = append(ops, m.Mutate(w)...)
	}
	resp := Allowed(req.UID)
	if len(ops) == 0 {
		return resp
	}
	patch, err := json.Marshal(ops)
	if err != nil {
		return Denied(req.UID, http.StatusInternalServerError, "encode patch: %v", err)
	}
	resp.Patch = patch
	resp.PatchType = "JSONPatch"
	return resp
}

// notifyAudit posts the review to the external audit sink.
func (s *Server) notifyAudit(review *AdmissionReview) {
	if s.auditURL == "" {
		return
	}
	body, err := json.Marshal(review)
	if err != nil {
		s.log.Printf("webhook: audit encode: %v", err)
		return
	}
	resp, err := s.httpClient.Post(s.auditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		s.log.Printf("webhook: audit post: %v", err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.log.Printf("webhook: audit sink answered %s", resp.Status)
	}
}

func (s *Server) observe(path string, denied bool, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stats[path]
	if !ok {
		st = &pathStats{}
		s.stats[path] = st
	}
	st.Requests++
	if denied {
		st.Denied++
	}
	st.Total += d
}

// Stats returns a copy of the per-path counters.
func (s *Server) Stats() map[string]pathStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]pathStats, len(s.stats))
	for k, v := range s.stats {
		out[k] = *v
	}
	return out
}

// Start serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) Start(ctx context.Context, addr, certFile, keyFile string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() {
		if certFile == "" {
			errc <- srv.ListenAndServe()
			return
		}
		errc <- srv.ListenAndServeTLS(certFile, keyFile)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
