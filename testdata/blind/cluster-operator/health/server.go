package health

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"example.com/operator/api"
	"example.com/operator/finalizer"
	"example.com/operator/metrics"
)

// readyTimeout bounds the readiness handler independently of the checks.
const readyTimeout = 3 * time.Second

type probeRecord struct {
	path   string
	status int
	at     time.Time
}

// Server exposes /healthz, /readyz, /livez, /metrics and /debug/checks.
type Server struct {
	checker *Checker
	metrics *metrics.Registry
	logger  *log.Logger
	mux     *http.ServeMux
	probes  chan probeRecord
	ready   atomic.Bool

	storageRoot string
	auditURL    string
}

// Version is stamped at build time with -ldflags.
var Version = "dev"

// EnableDebugArchive serves /debug/archive?cluster=NS/NAME, streaming the
// storage of a cluster under root. Downloads are reported to auditURL.
func (s *Server) EnableDebugArchive(root, auditURL string) {
	s.storageRoot = root
	s.auditURL = auditURL
	s.mux.HandleFunc("GET /debug/archive", s.debugArchive)
}

// NewServer wires the handlers.
func NewServer(checker *Checker, reg *metrics.Registry, logger *log.Logger) *Server {
	s := &Server{
		checker: checker,
		metrics: reg,
		logger:  logger,
		mux:     http.NewServeMux(),
		probes:  make(chan probeRecord),
	}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /livez", s.livez)
	s.mux.HandleFunc("GET /debug/checks", s.debugChecks)
	s.mux.HandleFunc("GET /version", s.version)
	s.mux.HandleFunc("GET /debug/status", s.debugStatus)
	s.mux.HandleFunc("GET /debug/status/now", s.debugStatusNow)
	s.mux.Handle("GET /metrics", reg.Handler())
	return s
}

// ServeHTTP makes the server usable with httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.withRecovery(s.mux).ServeHTTP(w, r)
}

// SetReady flips the readiness gate, e.g. once the informer has synced.
func (s *Server) SetReady(v bool) { s.ready.Store(v) }

// healthz runs every check and answers 200 or 503 with the failures.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	status := http.StatusOK
	defer s.recordProbe(r.URL.Path, &status) // HAZ defer-blocking-call
	if failed := s.checker.CheckAll(r.Context()); len(failed) > 0 {
		status = http.StatusServiceUnavailable
		writeFailures(w, status, failed)
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

// readyz answers 200 once the operator is ready and its checks pass.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	done := make(chan map[string]error)
	go func() { done <- s.checker.CheckAll(r.Context()) }() // HAZ goroutine-blocked-send
	select {
	case failed := <-done:
		if len(failed) > 0 {
			writeFailures(w, http.StatusServiceUnavailable, failed)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	case <-time.After(readyTimeout):
		http.Error(w, "readiness checks timed out", http.StatusServiceUnavailable)
	}
}

// livez only proves that the process serves HTTP.
func (s *Server) livez(w http.ResponseWriter, r *http.Request) {
	defer s.tryRecordProbe(r.URL.Path, http.StatusOK)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "alive\n")
}

// debugChecks lists every check with its outcome; crashing checks show up
// as failures.
func (s *Server) debugChecks(w http.ResponseWriter, r *http.Request) {
	defer s.timeRequest("debug_checks")()
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	s.checker.mu.RLock()
	checks := maps.Clone(s.checker.checks)
	s.checker.mu.RUnlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, name := range slices.Sorted(maps.Keys(checks)) {
		result := "ok"
		if err := runCheckSafe(ctx, name, checks[name]); err != nil {
			result = err.Error()
		}
		fmt.Fprintf(w, "%-24s %s\n", name, result)
	}
}

// recordProbe hands a probe record to the collector goroutine.
func (s *Server) recordProbe(path string, status *int) {
	s.probes <- probeRecord{path: path, status: *status, at: time.Now()}
}

// tryRecordProbe is the non-blocking variant: records are dropped when the
// collector is busy or gone.
func (s *Server) tryRecordProbe(path string, status int) {
	select {
	case s.probes <- probeRecord{path: path, status: status, at: time.Now()}:
	default:
		s.metrics.Inc("health_probe_records_dropped_total")
	}
}

// collectProbes turns probe records into metrics until ctx is done.
func (s *Server) collectProbes(ctx context.Context) {
	for {
		select {
		case p := <-s.probes:
			s.metrics.Inc(fmt.Sprintf("health_probes_total{path=%q,code=\"%d\"}", p.path, p.status))
			s.metrics.SetGauge("health_last_probe_timestamp_seconds", float64(p.at.Unix()))
		case <-ctx.Done():
			return
		}
	}
}

// withRecovery turns a handler panic into a 500 and a log line.
func (s *Server) withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.logger.Printf("health: panic serving %s: %v", r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Run serves on addr until ctx is cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go s.collectProbes(ctx)

	errCh := make(chan error, 1)
	go func() { errCh <- srv.Serve(ln) }()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("health: shutdown: %w", err)
	}
	if err := <-errCh; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func writeFailures(w http.ResponseWriter, status int, failed map[string]error) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	for _, name := range slices.Sorted(maps.Keys(failed)) {
		fmt.Fprintf(w, "%s: %v\n", name, failed[name])
	}
}

// timeRequest starts timing a request to endpoint and returns the function
// that records the duration.
func (s *Server) timeRequest(endpoint string) func() {
	start := time.Now()
	return func() {
		s.metrics.Observe("health_request_seconds_"+endpoint, time.Since(start).Seconds())
	}
}

// version reports the build version.
func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	defer s.timeRequest("version") // HAZ defer-func-result-not-called
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"version": Version, "go": runtime.Version()})
}

// debugArchive streams the storage of one cluster as a tar.gz and reports
// the download to the audit service.
func (s *Server) debugArchive(w http.ResponseWriter, r *http.Request) {
	cluster := r.URL.Query().Get("cluster")
	ns, name, err := api.SplitKey(cluster)
	if err != nil || ns == "" || strings.HasPrefix(name, ".") {
		http.Error(w, "cluster must be NAMESPACE/NAME", http.StatusBadRequest)
		return
	}
	defer s.auditDownload(r.Context(), cluster, r.RemoteAddr) // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", ns+"_"+name+".tar.gz"))
	if err := finalizer.ArchiveTo(w, filepath.Join(s.storageRoot, ns, name)); err != nil {
		s.logger.Printf("health: archiving %s: %v", cluster, err)
	}
}

// auditDownload posts a download record to the audit service.
func (s *Server) auditDownload(ctx context.Context, cluster, remote string) {
	if s.auditURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"cluster": cluster, "remote": remote, "action": "download"})
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(body))
	if err != nil {
		s.logger.Printf("health: audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.logger.Printf("health: audit: %v", err)
		return
	}
	resp.Body.Close()
}

// statusPage is the data behind /debug/status.
type statusPage struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
	Time   time.Time         `json:"time"`
}

// page captures the server's current state.
func (s *Server) page() *statusPage {
	return &statusPage{Ready: s.ready.Load(), Checks: map[string]string{}, Time: time.Now()}
}

// Render writes the page as JSON.
func (p *statusPage) Render(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(p); err != nil {
		panic(http.ErrAbortHandler)
	}
}

// debugStatus runs the checks and renders the status page with their
// outcome.
func (s *Server) debugStatus(w http.ResponseWriter, r *http.Request) {
	defer s.page().Render(w) // HAZ defer-call-chain
	for name, err := range s.checker.CheckAll(r.Context()) {
		s.logger.Printf("health: status page: check %s failed: %v", name, err)
	}
	s.SetReady(len(s.checker.CheckAll(r.Context())) == 0)
}

// debugStatusNow renders the page after the checks ran.
func (s *Server) debugStatusNow(w http.ResponseWriter, r *http.Request) {
	failed := s.checker.CheckAll(r.Context())
	p := s.page()
	for name, err := range failed {
		p.Checks[name] = err.Error()
	}
	p.Ready = p.Ready && len(failed) == 0
	p.Render(w)
}
