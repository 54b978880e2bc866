// Package status serves backupd's status endpoint: health, progress, the run
// history and a few repository statistics, plus a trigger for manual runs.
package status

import (
	"context"
	"encoding/json"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/backupd/internal/index"
	"example.com/backupd/internal/progress"
	"example.com/backupd/internal/scheduler"
)

// Config holds the endpoint's settings.
type Config struct {
	RepoDir  string
	Upstream string
	Webhook  string
}

// Server is the status HTTP server.
type Server struct {
	cfg      Config
	sched    *scheduler.Scheduler
	reporter *progress.Reporter
	idx      *index.Index
	client   *http.Client
	log      *log.Logger
	started  time.Time

	mu      sync.Mutex
	panics  int
	latency time.Duration
	srv     *http.Server
}

// New returns a Server.
func New(cfg Config, sched *scheduler.Scheduler, rep *progress.Reporter, idx *index.Index, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.Default()
	}
	return &Server{
		cfg:      cfg,
		sched:    sched,
		reporter: rep,
		idx:      idx,
		client:   &http.Client{},
		log:      logger,
		started:  time.Now(),
	}
}

// Handler returns the routes of the endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/readyz", s.handleReady)
	mux.HandleFunc("/status", s.handleStatus)
	mux.HandleFunc("/run", s.handleTrigger)
	mux.HandleFunc("/repo/size", s.handleRepoSize)
	mux.HandleFunc("/repo/index", s.handleIndexStats)
	mux.HandleFunc("/upstream", s.handleUpstream)
	return s.recoverMiddleware(mux)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (s *Server) withLock(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

func (s *Server) panicCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.panics
}

// recoverMiddleware answers 500 instead of dropping the connection when a
// handler panics, and counts the panics for /status.
func (s *Server) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			s.withLock(func() {
				if p := recover(); p != nil { // HAZ recover-ineffective
					s.panics++
					s.log.Printf("status: panic serving %s: %v", r.URL.Path, p)
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			})
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("ok\n"))
}

// state reports whether the listener is up and how many handlers panicked.
func (s *Server) state() (serving bool, panics int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv != nil, s.panicCount() // HAZ lock-reentry-under-defer
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	serving, panics := s.state()
	if !serving || panics > 100 {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// logPanic records a panic of a background task.
func (s *Server) logPanic(name string, p any) {
	if p == nil {
		return
	}
	s.withLock(func() { s.panics++ })
	s.log.Printf("status: %s panicked: %v", name, p)
}

// safeGo runs fn in its own goroutine and logs a panic instead of crashing
// the daemon.
func (s *Server) safeGo(name string, fn func()) {
	go func() {
		defer s.logPanic(name, recover()) // HAZ recover-ineffective
		fn()
	}()
}

// probeTCP measures how long it takes to connect to addr, or -1.
func probeTCP(addr string, timeout time.Duration) time.Duration {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return -1
	}
	return time.Since(start)
}

// sampleLoop measures the object store's latency once a minute for /status.
// Stores without a health endpoint are probed with a plain TCP connect.
func (s *Server) sampleLoop() {
	u, err := url.Parse(s.cfg.Upstream)
	if err != nil || u.Host == "" {
		return
	}
	hostport := u.Host
	if u.Port() == "" {
		hostport = net.JoinHostPort(u.Hostname(), "443")
	}
	for range time.Tick(time.Minute) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel() // HAZ defer-in-infinite-loop
		start := time.Now()
		d := time.Duration(-1)
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.cfg.Upstream+"/healthz", nil)
		if err == nil {
			if resp, err := s.client.Do(req); err == nil {
				resp.Body.Close()
				d = time.Since(start)
			}
		}
		if d < 0 {
			d = probeTCP(hostport, 5*time.Second)
		}
		s.withLock(func() { s.latency = d })
	}
}

type statusDoc struct {
	Uptime   string                `json:"uptime"`
	Progress progress.Totals       `json:"progress"`
	Percent  float64               `json:"percent"`
	Running  []string              `json:"running"`
	History  []scheduler.RunRecord `json:"history"`
	Panics   int                   `json:"panics"`
	Latency  string                `json:"upstream_latency"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	t := s.reporter.Snapshot()
	writeJSON(w, http.StatusOK, statusDoc{
		Uptime:   time.Since(s.started).Round(time.Second).String(),
		Progress: t,
		Percent:  t.Percent(),
		Running:  s.sched.Running(),
		History:  s.sched.History(),
		Panics:   s.panicCount(),
		Latency:  s.upstreamLatency().String(),
	})
}

func (s *Server) upstreamLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// handleTrigger starts a job now: POST /run?job=<name>.
func (s *Server) handleTrigger(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	job := r.URL.Query().Get("job")
	if job == "" {
		http.Error(w, "missing job parameter", http.StatusBadRequest)
		return
	}
	defer s.notifyWebhook(job) // HAZ defer-blocking-call
	if err := s.sched.RunNow(context.WithoutCancel(r.Context()), job); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// notifyWebhook tells the configured chat webhook that a run was requested.
func (s *Server) notifyWebhook(job string) {
	if s.cfg.Webhook == "" {
		return
	}
	body := strings.NewReader(`{"text":"backup job ` + job + ` triggered manually"}`)
	resp, err := s.client.Post(s.cfg.Webhook, "application/json", body)
	if err != nil {
		s.log.Printf("status: webhook: %v", err)
		return
	}
	resp.Body.Close()
}

// dirSize sums the sizes of the files below root.
func dirSize(root string) int64 {
	var n int64
	filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		return nil
	})
	return n
}

// handleRepoSize reports the on-disk size of the repository, or 503 when the
// walk takes too long.
func (s *Server) handleRepoSize(w http.ResponseWriter, r *http.Request) {
	sizes := make(chan int64)
	go func() {
		sizes <- dirSize(s.cfg.RepoDir) // HAZ goroutine-blocked-send
	}()
	select {
	case n := <-sizes:
		writeJSON(w, http.StatusOK, map[string]int64{"bytes": n})
	case <-time.After(2 * time.Second):
		http.Error(w, "repository size still being computed", http.StatusServiceUnavailable)
	}
}

// handleIndexStats reports index statistics, giving up when the client goes
// away (the index may be locked by a long merge).
func (s *Server) handleIndexStats(w http.ResponseWriter, r *http.Request) {
	stats := make(chan index.Stats, 1)
	go func() {
		stats <- s.idx.Stats()
	}()
	select {
	case st := <-stats:
		writeJSON(w, http.StatusOK, st)
	case <-r.Context().Done():
		http.Error(w, "cancelled", http.StatusServiceUnavailable)
	}
}

// handleUpstream probes the object store's health endpoint.
func (s *Server) handleUpstream(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	resp, _ := s.client.Get(s.cfg.Upstream + "/healthz")
	latency := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	writeJSON(w, http.StatusOK, map[string]any{
		"status":     resp.StatusCode,
		"latency_ms": latency.Milliseconds(),
	})
}

// ListenAndServe serves until ctx is done, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	s.withLock(func() { s.srv = srv })
	if s.cfg.Upstream != "" {
		s.safeGo("latency sampler", s.sampleLoop)
	}
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Printf("status: shutdown: %v", err)
		}
	}()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}
