// Package api serves the up8 blob store over HTTP.
package api

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"example.com/up8/internal/cache"
	"example.com/up8/internal/spawn"
	"example.com/up8/internal/trace"
)

const maxBlob = 32 << 20

// Server holds the handlers' dependencies.
type Server struct {
	store        *cache.Cache[string, []byte]
	quota        *cache.Counter[string]
	audit        Auditor
	tracer       trace.Tracer
	backend      func(ctx context.Context) error
	backendName  string
	probeTimeout time.Duration
	upstream     func(ctx context.Context, name string) ([]byte, error)
	spoolDir     string
	logger       *log.Logger
}

// Config configures a Server.
type Config struct {
	TTL          time.Duration
	UploadsPerIP int
	Backend      func(ctx context.Context) error
	BackendName  string
	ProbeTimeout time.Duration
	Upstream     func(ctx context.Context, name string) ([]byte, error)
	SpoolDir     string
}

// NewServer returns a server using audit and tracer.
func NewServer(cfg Config, audit Auditor, tracer trace.Tracer, logger *log.Logger) *Server {
	return &Server{
		store:        cache.New[string, []byte](cfg.TTL),
		quota:        cache.NewCounter[string](cfg.UploadsPerIP),
		audit:        audit,
		tracer:       tracer,
		backend:      cfg.Backend,
		backendName:  cfg.BackendName,
		probeTimeout: cfg.ProbeTimeout,
		upstream:     cfg.Upstream,
		spoolDir:     cfg.SpoolDir,
		logger:       logger,
	}
}

// Routes returns the server's handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /blobs/{name}", s.handleUpload)
	mux.HandleFunc("GET /blobs/{name}", s.handleDownload)
	mux.HandleFunc("DELETE /blobs/{name}", s.handleDelete)
	mux.HandleFunc("GET /blobs", s.handleList)
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("POST /import/{name}", s.handleImport)
	mux.HandleFunc("POST /v2/import/{name}", s.handleImportChecked)
	mux.HandleFunc("POST /spool", s.handleSpool)
	return s.recoverer(mux)
}

// recoverer turns a handler panic into a 500 and a log line.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.logger.Printf("api: panic serving %s %s: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientOf returns the client address of r without the port.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	n      int64
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	n, err := r.ResponseWriter.Write(p)
	r.n += int64(n)
	return n, err
}

// handleUpload stores the request body under the name in the path. Every
// upload is audited before the client gets its answer.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	defer s.audit.Flush() // HAZ defer-blocking-call
	ev := Event{Method: r.Method, Path: r.URL.Path}
	if !s.quota.Allow(clientOf(r)) {
		http.Error(w, "upload quota exceeded", http.StatusTooManyRequests)
		ev.Status = http.StatusTooManyRequests
		s.audit.Record(ev)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBlob))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		ev.Status = http.StatusRequestEntityTooLarge
		s.audit.Record(ev)
		return
	}
	s.store.Put(r.PathValue("name"), body)
	w.WriteHeader(http.StatusCreated)
	ev.Status, ev.Bytes = http.StatusCreated, int64(len(body))
	s.audit.Record(ev)
}

// handleDownload returns the blob named in the path.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	defer s.tracer.Start("download")()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	start := time.Now()
	defer func() {
		s.audit.Record(Event{Method: r.Method, Path: r.URL.Path, Status: rec.status, Bytes: rec.n, Took: time.Since(start)})
	}()
	body, ok := s.store.Get(r.PathValue("name"))
	if !ok {
		http.NotFound(rec, r)
		return
	}
	rec.Header().Set("Content-Type", "application/octet-stream")
	if _, err := rec.Write(body); err != nil {
		s.logger.Printf("api: download %s: %v", r.URL.Path, err)
	}
}

// handleDelete removes the blob named in the path.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	defer s.tracer.Start("delete") // HAZ defer-func-result-not-called
	if !s.store.Delete(r.PathValue("name")) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
	s.audit.Record(Event{Method: r.Method, Path: r.URL.Path, Status: http.StatusNoContent})
}

// handleList returns the stored blob names as a JSON array.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.tracer.Record("list", start, time.Now()) // HAZ defer-eager-evaluation
	keys := s.store.Keys()
	slices.Sort(keys)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(keys); err != nil {
		s.logger.Printf("api: list: %v", err)
	}
}

// probeResult is the outcome of one backend probe.
type probeResult struct {
	Backend string        `json:"backend"`
	Err     string        `json:"error,omitempty"`
	Took    time.Duration `json:"took_ns"`
}

// probe checks the backend and reports on out.
func (s *Server) probe(ctx context.Context, out chan<- probeResult) {
	start := time.Now()
	pr := probeResult{Backend: s.backendName}
	if err := s.backend(ctx); err != nil {
		pr.Err = err.Error()
	}
	pr.Took = time.Since(start)
	out <- pr
}

// handleStatus reports the backend's health, waiting at most probeTimeout.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.probeTimeout)
	defer cancel()
	res := make(chan probeResult)
	go s.probe(ctx, res) // HAZ goroutine-blocked-send
	select {
	case pr := <-res:
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(pr); err != nil {
			s.logger.Printf("api: status: %v", err)
		}
	case <-ctx.Done():
		http.Error(w, "backend probe timed out", http.StatusGatewayTimeout)
	}
}

// handleHealth is the liveness endpoint: 200 when the backend answers in
// time.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.probeTimeout)
	defer cancel()
	res := make(chan probeResult, 1)
	go s.probe(ctx, res)
	select {
	case pr := <-res:
		if pr.Err != "" {
			http.Error(w, pr.Err, http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	case <-ctx.Done():
		http.Error(w, "backend probe timed out", http.StatusServiceUnavailable)
	}
}

// importResult is the outcome of one upstream fetch.
type importResult struct {
	body []byte
	err  error
}

// handleImport copies a blob from the upstream store. The fetch starts at
// once; the quota is checked while it runs.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	res := make(chan importResult)
	spawn.Go(func() { // HAZ goroutine-blocked-send
		body, err := s.upstream(r.Context(), name)
		res <- importResult{body: body, err: err}
	})
	if s.quota.Remaining(clientOf(r)) == 0 {
		http.Error(w, "import quota exceeded", http.StatusTooManyRequests)
		return
	}
	ir := <-res
	if ir.err != nil {
		http.Error(w, ir.err.Error(), http.StatusBadGateway)
		return
	}
	s.store.Put(name, ir.body)
	w.WriteHeader(http.StatusCreated)
}

// handleImportChecked is handleImport with the quota checked before the
// fetch starts.
func (s *Server) handleImportChecked(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if s.quota.Remaining(clientOf(r)) == 0 {
		http.Error(w, "import quota exceeded", http.StatusTooManyRequests)
		return
	}
	res := make(chan importResult, 1)
	spawn.Go(func() {
		body, err := s.upstream(r.Context(), name)
		res <- importResult{body: body, err: err}
	})
	select {
	case ir := <-res:
		if ir.err != nil {
			http.Error(w, ir.err.Error(), http.StatusBadGateway)
			return
		}
		s.store.Put(name, ir.body)
		w.WriteHeader(http.StatusCreated)
	case <-r.Context().Done():
	}
}

// purgeSpool removes spool files older than an hour.
func (s *Server) purgeSpool() {
	cutoff := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(s.spoolDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		s.logger.Printf("api: purge spool: %v", err)
	}
}

// handleSpool stores a large upload in the spool directory for later
// processing and returns its spool name.
func (s *Server) handleSpool(w http.ResponseWriter, r *http.Request) {
	defer s.purgeSpool() // HAZ defer-blocking-call
	f, err := os.CreateTemp(s.spoolDir, "upload-*")
	if err != nil {
		http.Error(w, "spool unavailable", http.StatusInsufficientStorage)
		return
	}
	_, err = io.Copy(f, http.MaxBytesReader(w, r.Body, 8*maxBlob))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	if _, err := io.WriteString(w, strings.TrimPrefix(f.Name(), s.spoolDir+string(filepath.Separator))); err != nil {
		s.logger.Printf("api: spool: %v", err)
	}
}

// StartJanitor purges the spool every interval until ctx ends.
func (s *Server) StartJanitor(ctx context.Context, interval time.Duration) {
	spawn.Safe(s.logger, "spool janitor", func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.purgeSpool()
			}
		}
	})
}
