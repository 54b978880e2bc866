// Package api is the HTTP front end of the transcoder: uploads, job
// submission, status and progress streaming, and downloads.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/job"
	"example.com/mediatranscoder/internal/progress"
	"example.com/mediatranscoder/internal/storage"
)

// Prober inspects media files.
type Prober interface {
	Probe(ctx context.Context, path string) (*encoder.ProbeResult, error)
}

// Canceler cancels queued or running jobs.
type Canceler interface {
	Cancel(id job.ID) error
}

// Config wires a Server.
type Config struct {
	Queue        *job.Queue
	Store        *job.Store
	Tracker      *progress.Tracker
	Files        *storage.LocalStore
	Prober       Prober
	Canceler     Canceler
	Notifier     *Notifier
	UploadDir    string
	MaxUpload    int64
	MaxUploads   int
	MaxPerClient int
	ProbeTimeout time.Duration
	FFprobePath  string
	Logger       *log.Logger
}

// Server implements the HTTP API.
type Server struct {
	queue        *job.Queue
	store        *job.Store
	tracker      *progress.Tracker
	files        *storage.LocalStore
	prober       Prober
	canceler     Canceler
	notifier     *Notifier
	limiter      *clientLimiter
	uploadSem    chan struct{}
	uploadDir    string
	maxUpload    int64
	probeTimeout time.Duration
	ffprobePath  string
	logger       *log.Logger
}

// NewServer returns a server for cfg.
func NewServer(cfg Config) *Server {
	return &Server{
		queue:        cfg.Queue,
		store:        cfg.Store,
		tracker:      cfg.Tracker,
		files:        cfg.Files,
		prober:       cfg.Prober,
		canceler:     cfg.Canceler,
		notifier:     cfg.Notifier,
		limiter:      newClientLimiter(max(1, cfg.MaxPerClient)),
		uploadSem:    make(chan struct{}, max(1, cfg.MaxUploads)),
		uploadDir:    cfg.UploadDir,
		maxUpload:    cfg.MaxUpload,
		probeTimeout: max(time.Second, cfg.ProbeTimeout),
		ffprobePath:  cfg.FFprobePath,
		logger:       cfg.Logger,
	}
}

// Routes returns the API handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/uploads", s.handleUpload)
	mux.HandleFunc("PUT /v1/uploads/{name}", s.handleRawUpload)
	mux.HandleFunc("POST /v1/jobs", s.handleSubmit)
	mux.HandleFunc("POST /v1/jobs/{id}/resubmit", s.handleResubmit)
	mux.HandleFunc("GET /v1/jobs", s.handleList)
	mux.HandleFunc("GET /v1/jobs/{id}", s.handleJobStatus)
	mux.HandleFunc("DELETE /v1/jobs/{id}", s.handleCancel)
	mux.HandleFunc("GET /v1/jobs/{id}/events", s.handleEvents)
	mux.HandleFunc("GET /v1/jobs/{id}/bundle", s.handleBundle)
	mux.HandleFunc("GET /v1/outputs/{key...}", s.handleDownload)
	mux.HandleFunc("POST /v1/probe", s.handleProbe)
	mux.HandleFunc("POST /v2/probe", s.handleProbeBounded)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return withRecover(s.logger, withLogging(s.logger, mux))
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// withRecover turns handler panics into 500s (http.ErrAbortHandler is
// re-raised so that net/http can abort the connection).
func withRecover(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				logger.Printf("panic: %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				writeError(w, http.StatusInternalServerError, "internal server error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withLogging logs one line per request; the closure reads status, size
// and elapsed time when the request is done.
func withLogging(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			logger.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush keeps server-sent events working through the recorder.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		first, _, _ := strings.Cut(fwd, ",")
		return strings.TrimSpace(first)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localPath maps a storage key onto the local store.
func (s *Server) localPath(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if clean == "/" {
		return "", errors.New("empty key")
	}
	return filepath.Join(s.files.Root, clean), nil
}

func (s *Server) ffprobeAvailable() error {
	_, err := exec.LookPath(s.ffprobePath)
	return err
}
