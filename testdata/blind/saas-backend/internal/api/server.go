// Package api is the tenant-facing HTTP API.
package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"example.com/saas/internal/cache"
	"example.com/saas/internal/jobs"
	"example.com/saas/internal/tenant"
	"example.com/saas/internal/trace"
	"example.com/saas/internal/webhook"
)

// Config wires the server's dependencies.
type Config struct {
	DB         *sql.DB
	Queue      *jobs.Queue
	Tenants    *tenant.Directory
	Cache      *cache.Cache
	Hooks      *webhook.Deliverer
	Tracer     *trace.Tracer
	Logger     *log.Logger
	ExportDir  string
	ReqTimeout time.Duration
}

// Server holds the handlers' dependencies.
type Server struct {
	cfg Config
	mux *http.ServeMux
	log *log.Logger
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.ReqTimeout <= 0 {
		cfg.ReqTimeout = 30 * time.Second
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), log: cfg.Logger}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /v1/jobs", s.listJobs)
	s.mux.HandleFunc("POST /v1/jobs", s.createJob)
	s.mux.HandleFunc("GET /v1/jobs/{id}", s.getJob)
	s.mux.HandleFunc("DELETE /v1/jobs/{id}", s.cancelJob)
	s.mux.HandleFunc("GET /v1/exports/jobs.csv", s.exportJobsCSV)
	s.mux.HandleFunc("GET /v1/exports/bundle.zip", s.exportBundle)
	s.mux.HandleFunc("POST /v1/exports", s.exportToDisk)
	s.mux.HandleFunc("GET /v1/cache/{key}", s.getCached)
	s.mux.HandleFunc("PUT /v1/cache/{key}", s.putCached)
	s.mux.HandleFunc("POST /v1/webhooks/test", s.testWebhook)
	s.mux.HandleFunc("POST /v1/webhooks/replay", s.replayWebhook)
}

// Handler returns the mux wrapped in the middleware chain.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.authenticate(h)
	h = http.TimeoutHandler(h, s.cfg.ReqTimeout, `{"error":"timeout"}`)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return h
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: write response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// healthz checks the database with a short timeout.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.DB.PingContext(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// audit records an action in the audit table.
func (s *Server) audit(ctx context.Context, t tenant.ID, action, target string) {
	_, err := s.cfg.DB.ExecContext(ctx, `/* audit.insert */ INSERT INTO audit (tenant, action, target, at) VALUES (?, ?, ?, ?)`,
		string(t), action, target, time.Now())
	if err != nil {
		s.log.Printf("audit %s %s: %v", action, target, err)
	}
}
