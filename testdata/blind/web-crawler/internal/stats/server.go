package stats

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"time"
)

// RobotsChecker answers robots.txt questions for the /robots endpoint.
type RobotsChecker interface {
	Allowed(ctx context.Context, u *url.URL) (bool, error)
}

type requestEvent struct {
	path string
	d    time.Duration
}

// Server exposes Stats over HTTP and keeps per-endpoint request statistics.
type Server struct {
	stats  *Stats
	robots RobotsChecker
	events chan requestEvent
	srv    *http.Server
	log    *log.Logger
	// onClose runs after Serve returns; set with OnClose.
	onClose func()
}

// NewServer returns a server for addr. The /robots endpoint is only served
// when rc is not nil.
func NewServer(addr string, st *Stats, rc RobotsChecker, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	s := &Server{stats: st, robots: rc, events: make(chan requestEvent, 64), log: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", s.handleStats)
	mux.HandleFunc("/healthz", s.handleHealth)
	if rc != nil {
		mux.HandleFunc("/robots", s.handleRobots)
	}
	s.srv = &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return s
}

// HTTP returns the underlying http.Server.
func (s *Server) HTTP() *http.Server {
	return s.srv
}

// handleStats serves the snapshot as text, or as JSON with ?format=json.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { s.events <- requestEvent{path: r.URL.Path, d: time.Since(start)} }() // HAZ defer-blocking-call
	snap := s.stats.Snapshot()
	if r.URL.Query().Get("format") == "json" {
		w.Header().Set("Content-Type", "application/json")
		if err := snap.WriteJSON(w); err != nil {
			s.log.Printf("stats: %v", err)
		}
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := snap.WriteText(w); err != nil {
		s.log.Printf("stats: %v", err)
	}
}

// handleHealth answers liveness probes.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() {
		select {
		case s.events <- requestEvent{path: r.URL.Path, d: time.Since(start)}:
		default: // aggregator is behind: drop the sample
		}
	}()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "ok pages=%d\n", s.stats.Counter("pages"))
}

// handleRobots answers whether ?url= may be crawled.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	u, err := url.Parse(r.URL.Query().Get("url"))
	if err != nil || u.Host == "" {
		http.Error(w, "missing or bad url parameter", http.StatusBadRequest)
		return
	}
	type answer struct {
		ok  bool
		err error
	}
	ch := make(chan answer)
	go func() {
		ok, err := s.robots.Allowed(context.Background(), u)
		ch <- answer{ok, err} // HAZ goroutine-blocked-send
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			http.Error(w, a.err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "%s allowed=%t\n", u, a.ok)
	case <-time.After(3 * time.Second):
		http.Error(w, "robots.txt lookup timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// Aggregate folds request events into the stage statistics until ctx is done.
func (s *Server) Aggregate(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			s.stats.ObserveStage("http "+ev.path, ev.d)
		}
	}
}

// OnClose registers fn to run when Serve returns, e.g. to flush counters.
func (s *Server) OnClose(fn func()) {
	s.onClose = fn
}

// Serve serves on an existing listener (socket activation, tests) until it
// fails or the server is shut down.
func (s *Server) Serve(ln net.Listener) error {
	defer s.onClose() // HAZ defer-nil-func
	go s.Aggregate(context.Background())
	s.log.Printf("stats: serving on %s", ln.Addr())
	return s.srv.Serve(ln)
}

// Run serves until ctx is cancelled and then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.ListenAndServe() }()
	go s.Aggregate(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(sctx)
}
