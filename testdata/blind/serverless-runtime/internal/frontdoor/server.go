// Package frontdoor is the HTTP entry point of faasd: synchronous and
// asynchronous invocation, bundle upload, logs and health, with a
// per-request deadline and graceful drain.
package frontdoor

import (
	"log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/faas/internal/bundle"
	"example.com/faas/internal/logs"
	"example.com/faas/internal/metrics"
	"example.com/faas/internal/router"
	"example.com/faas/internal/sandbox"
)

// Config holds the front door's limits.
type Config struct {
	Addr           string
	MaxBody        int64
	MaxBundle      int64
	DefaultTimeout time.Duration
	MaxTimeout     time.Duration
	AsyncTimeout   time.Duration
	StagingDir     string
	Peers          []string
	AuditURL       string
}

// Server serves the public and admin HTTP APIs.
type Server struct {
	cfg    Config
	router *router.Router
	pool   *sandbox.Pool
	cache  *bundle.Cache
	agg    *metrics.Aggregator
	ring   *logs.Ring
	log    *log.Logger

	inflight  sync.WaitGroup
	draining  atomic.Bool
	recycling atomic.Bool
	seq       atomic.Uint64
	results   sync.Map // id -> asyncResult

	peers      map[string]bool
	peerClient *http.Client
}

// New returns a server; zero limits get defaults.
func New(cfg Config, rt *router.Router, pool *sandbox.Pool, cache *bundle.Cache, agg *metrics.Aggregator, ring *logs.Ring) *Server {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 6 << 20
	}
	if cfg.MaxBundle <= 0 {
		cfg.MaxBundle = 250 << 20
	}
	if cfg.DefaultTimeout <= 0 {
		cfg.DefaultTimeout = 30 * time.Second
	}
	if cfg.MaxTimeout < cfg.DefaultTimeout {
		cfg.MaxTimeout = 15 * time.Minute
	}
	if cfg.AsyncTimeout <= 0 {
		cfg.AsyncTimeout = cfg.MaxTimeout
	}
	if cfg.StagingDir == "" {
		cfg.StagingDir = os.TempDir()
	}
	peers := make(map[string]bool, len(cfg.Peers))
	for _, p := range cfg.Peers {
		peers[p] = true
	}
	return &Server{
		peers:      peers,
		peerClient: &http.Client{Timeout: 10 * time.Second},
		cfg:        cfg,
		router:     rt,
		pool:       pool,
		cache:      cache,
		agg:        agg,
		ring:       ring,
		log:        log.New(os.Stderr, "frontdoor: ", log.LstdFlags),
	}
}

// Handler returns the public API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/invoke/{fn}", s.handleInvoke)
	mux.HandleFunc("POST /v1/async/{fn}", s.handleAsync)
	mux.HandleFunc("GET /v1/async/{id}", s.handleResult)
	mux.HandleFunc("POST /v1/batch", s.handleBatch)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	return s.withRecover(s.withInflight(s.withDeadline(mux)))
}

// AdminHandler returns the operator API.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /admin/bundles", s.handleUpload)
	mux.HandleFunc("PUT /admin/routes", s.handleDeploy)
	mux.HandleFunc("GET /admin/logs", s.handleLogs)
	mux.HandleFunc("GET /admin/stats", s.handleStats)
	mux.HandleFunc("POST /admin/recycle", s.handleRecycle)
	mux.HandleFunc("POST /admin/prewarm", s.handlePrewarm)
	mux.HandleFunc("POST /admin/refresh", s.handleRefresh)
	mux.HandleFunc("POST /admin/refresh-safe", s.handleRefreshSafe)
	mux.HandleFunc("GET /admin/peer/stats", s.handlePeerStats)
	mux.HandleFunc("GET /admin/peer/logs", s.handlePeerLogs)
	mux.HandleFunc("DELETE /admin/routes", s.handleDelete)
	mux.HandleFunc("GET /admin/routes", s.handleRoutes)
	mux.HandleFunc("PUT /admin/quota", s.handleQuota)
	return s.withAdminRecover(mux)
}

// HTTPServer wraps Handler with connection-level timeouts.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      s.cfg.MaxTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          s.log,
	}
}
