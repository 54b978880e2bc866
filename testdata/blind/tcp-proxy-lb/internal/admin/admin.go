// Package admin is the daemon's HTTP control API: backend listing, weights,
// drain, breaker trips, probes, TLS reload and metrics.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/metrics"
	"example.com/tcpproxylb/internal/sticky"
	"example.com/tcpproxylb/internal/tlsconf"
)

// Frontend is what the admin API knows about one frontend.
type Frontend struct {
	Pool    *backend.Pool
	Checker *backend.Checker
	Sticky  *sticky.Table
}

// Options configure the admin server.
type Options struct {
	Token      string
	Peers      []string
	StatePath  string
	TLS        *tlsconf.Reloader
	ReloadReqs chan<- tlsconf.ReloadRequest
	Logf       func(format string, args ...any)
}

// Server serves the admin API.
type Server struct {
	frontends map[string]Frontend
	reg       *metrics.Registry
	opts      Options
	client    *http.Client
	logf      func(format string, args ...any)
}

// New returns an admin server.
func New(frontends map[string]Frontend, reg *metrics.Registry, opts Options) *Server {
	logf := opts.Logf
	if logf == nil {
		logf = log.Printf
	}
	return &Server{
		frontends: frontends,
		reg:       reg,
		opts:      opts,
		client:    &http.Client{Timeout: 5 * time.Second},
		logf:      logf,
	}
}

// Handler returns the routed, authenticated handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealthz)
	mux.HandleFunc("/metrics", s.handleMetrics)
	mux.HandleFunc("/backends", s.handleBackends)
	mux.HandleFunc("/weight", s.handleWeight)
	mux.HandleFunc("/drain", s.handleDrain)
	mux.HandleFunc("/trip", s.handleTrip)
	mux.HandleFunc("/probe", s.handleProbe)
	mux.HandleFunc("/probe-all", s.handleProbeAll)
	mux.HandleFunc("/pin", s.handlePin)
	mux.HandleFunc("/sticky", s.handleSticky)
	mux.HandleFunc("/reload-tls", s.handleReloadTLS)
	mux.HandleFunc("/counters/reset", s.handleResetCounter)
	mux.HandleFunc("/state/save", s.handleSaveState)
	return s.withRecover(s.withAuth(mux))
}

func (s *Server) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Token == "" || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.Token)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withRecover turns a handler panic into a logged 500.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.logf("admin: panic serving %s: %v\n%s", r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// safeGo runs fn in the background; a panic in fn must not take the daemon
// down.
func (s *Server) safeGo(name string, fn func()) {
	go func() {
		defer s.logf("admin: %s finished (panic: %v)", name, recover()) // HAZ recover-ineffective
		fn()
	}()
}

// ListenAndServe serves until ctx is done, then shuts down within 5s.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			s.logf("admin: shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

// notifyPeers forwards an admin action to the other lbd instances so the
// whole fleet agrees. Each response is closed inside its own closure.
func (s *Server) notifyPeers(ctx context.Context, path string, q url.Values) {
	for _, peer := range s.opts.Peers {
		err := func() error {
			u := "http://" + peer + path + "?" + q.Encode() + "&forwarded=1"
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+s.opts.Token)
			resp, err := s.client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: %s", peer, resp.Status)
			}
			return nil
		}()
		if err != nil {
			s.logf("admin: notify %s%s: %v", peer, path, err)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

func (s *Server) frontend(r *http.Request) (Frontend, string, bool) {
	name := r.URL.Query().Get("frontend")
	fe, ok := s.frontends[name]
	return fe, name, ok
}
