// Package admin serves the operator HTTP API of the matchmaker.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/lobby"
	"example.com/matchmaker/internal/metrics"
	"example.com/matchmaker/internal/queue"
	"example.com/matchmaker/internal/session"
)

// Config configures the admin server.
type Config struct {
	ReplayDir    string
	Peers        []string // base URLs of the other matchmaker nodes
	MaxDownloads int32    // concurrent replay downloads; 0 means unlimited
}

// Server is the admin API.
type Server struct {
	cfg      Config
	queues   *queue.Registry
	lobbies  *lobby.Manager
	sessions *session.Store
	metrics  *metrics.Registry
	client   *http.Client
	limiter  *limiter
	mux      *http.ServeMux
}

// limiter caps concurrent downloads without blocking.
type limiter struct {
	max   int32
	inUse atomic.Int32
}

func (l *limiter) tryAcquire() bool {
	for {
		n := l.inUse.Load()
		if n >= l.max {
			return false
		}
		if l.inUse.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (l *limiter) release() { l.inUse.Add(-1) }

// New wires the admin API.
func New(cfg Config, q *queue.Registry, lm *lobby.Manager, ss *session.Store, m *metrics.Registry) *Server {
	s := &Server{
		cfg:      cfg,
		queues:   q,
		lobbies:  lm,
		sessions: ss,
		metrics:  m,
		client:   &http.Client{},
		mux:      http.NewServeMux(),
	}
	if cfg.MaxDownloads > 0 {
		s.limiter = &limiter{max: cfg.MaxDownloads}
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("/healthz", s.handleHealth)
	s.mux.HandleFunc("/admin/queues", s.handleQueues)
	s.mux.HandleFunc("/admin/enqueue", s.handleEnqueue)
	s.mux.HandleFunc("/admin/lobbies/", s.handleLobby)
	s.mux.HandleFunc("/admin/drain", s.handleDrain)
	s.mux.HandleFunc("/admin/kick", s.handleKick)
	s.mux.HandleFunc("/admin/touch", s.handleTouch)
	s.mux.HandleFunc("/admin/replay", s.handleReplay)
	s.mux.HandleFunc("/admin/replays", s.handleReplays)
	s.mux.HandleFunc("/admin/stats", s.handleStats)
	s.mux.HandleFunc("/admin/peers", s.handlePeers)
	s.mux.HandleFunc("/whoami", s.handleWhoAmI)
	s.mux.HandleFunc("/match/wait", s.handleWaitMatch)
	s.mux.HandleFunc("/admin/announce", s.handleAnnounce)
	s.mux.HandleFunc("/metrics", s.handleMetrics)
}

// ServeHTTP adds panic recovery and access counting around the mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.recoverHandler(w, r) // HAZ goroutine-outside-recover
	start := time.Now()
	go s.logAccess(r.Method, r.URL.Path, start)
	s.mux.ServeHTTP(w, r)
}

// recoverHandler is deferred directly by ServeHTTP.
func (s *Server) recoverHandler(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		log.Printf("admin: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// logAccess counts the request per top-level path.
func (s *Server) logAccess(method, path string, start time.Time) {
	parts := strings.SplitN(strings.Trim(path, "/"), "/", 3)
	name := "root"
	if len(parts) > 0 && parts[0] != "" {
		name = strings.Join(parts[:min(len(parts), 2)], "_")
	}
	s.metrics.Inc("admin_requests_" + name)
	if time.Since(start) > time.Second {
		log.Printf("admin: slow start for %s %s", method, path)
	}
}

// Serve runs the server until ctx ends, then shuts it down with a bounded
// grace period. The error channel is buffered, so the serving goroutine can
// always deliver its result.
func (s *Server) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}
