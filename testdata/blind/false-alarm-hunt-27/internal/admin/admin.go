// Package admin serves the proxy's administrative HTTP API.
package admin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"time"

	"example.com/fah27/internal/pool"
)

// Server is the admin API over one pool, with an audit log in audit.
type Server struct {
	pool    *pool.Pool
	audit   *sql.DB
	logger  *log.Logger
	timeout time.Duration
}

// New returns an admin server.
func New(p *pool.Pool, audit *sql.DB, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.Default()
	}
	return &Server{pool: p, audit: audit, logger: logger, timeout: 2 * time.Second}
}

// Routes returns the HTTP handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("POST /drain", s.handleDrain)
	mux.HandleFunc("POST /idle-timeout", s.handleIdleTimeout)
	mux.HandleFunc("GET /probe", s.handleProbe)
	mux.HandleFunc("GET /audit/count", s.handleAuditCount)
	return mux
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	err := s.pool.Do(ctx, func(c *pool.Conn) error { return c.Ping(ctx) })
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Pool pool.Stats `json:"pool"`
		Idle int        `json:"idle"`
	}{s.pool.Stats(), s.pool.Len()})
}

// handleDrain closes the idle connections, e.g. after a failover; the
// action is audited even when it fails.
func (s *Server) handleDrain(w http.ResponseWriter, r *http.Request) {
	defer s.audit.ExecContext(r.Context(), "INSERT INTO audit VALUES (?, ?)", "drain", r.RemoteAddr) // HAZ defer-blocking-call
	n := s.pool.Drain()
	writeJSON(w, http.StatusOK, map[string]int{"closed": n})
}

// handleIdleTimeout changes the idle timeout. The audit insert runs on the
// way out, bounded by its own short timeout.
func (s *Server) handleIdleTimeout(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.FormValue("d"))
	if err != nil || d < 0 {
		http.Error(w, "bad duration", http.StatusBadRequest)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := s.recordAudit(ctx, "idle_timeout", d.String()); err != nil {
			s.logger.Printf("admin: audit idle_timeout: %v", err)
		}
	}()
	s.pool.SetIdleTimeout(d)
	writeJSON(w, http.StatusOK, map[string]string{"idle_timeout": d.String()})
}

// handleProbe dials addr and pings it, giving up after the timeout. The
// prober reports on a buffered channel, so it never blocks once we gave up.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("addr")
	if addr == "" {
		http.Error(w, "missing addr", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	type result struct {
		took time.Duration
		err  error
	}
	done := make(chan result, 1)
	go func() {
		start := time.Now()
		c, err := pool.Dial(ctx, nil, addr)
		if err == nil {
			err = c.Ping(ctx)
			_ = c.Close()
		}
		done <- result{time.Since(start), err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"addr": addr, "took": res.took.String()})
	case <-ctx.Done():
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

// handleAuditCount reports how many audit rows exist, or 504 when the
// audit database is too slow.
func (s *Server) handleAuditCount(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	type result struct {
		n   int
		err error
	}
	ch := make(chan result)
	go func() {
		n, err := s.countAudit(ctx)
		ch <- result{n, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"rows": res.n})
	case <-ctx.Done():
		http.Error(w, "audit database too slow", http.StatusGatewayTimeout)
	}
}

func (s *Server) countAudit(ctx context.Context) (int, error) {
	rows, err := s.audit.QueryContext(ctx, "SELECT action FROM audit")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func (s *Server) recordAudit(ctx context.Context, action, detail string) error {
	if s.audit == nil {
		return nil
	}
	_, err := s.audit.ExecContext(ctx, "INSERT INTO audit VALUES (?, ?)", action, detail)
	return err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}

// Serve serves the API on ln until ctx is cancelled, then shuts down
// gracefully within ten seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errCh := make(chan error, 1)
	go func() { errCh <- srv.Serve(ln) }()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return err
		}
		if err := <-errCh; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
