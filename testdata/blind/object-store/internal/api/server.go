// Package api is the node's S3-like HTTP interface.
package api

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"example.com/objstore/internal/auth"
	"example.com/objstore/internal/gc"
	"example.com/objstore/internal/notify"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/scrub"
	"example.com/objstore/internal/store"
)

const (
	sha256Header     = "X-Objstore-Sha256"
	copySourceHeader = "X-Objstore-Copy-Source"
	maxObjectSize    = 5 << 30
)

// Options configure a Server.
type Options struct {
	Store       *store.Store
	Replicator  *replication.Replicator // nil on a single-node setup
	Verifier    *auth.Verifier
	Metrics     *obs.Registry
	Logger      *log.Logger
	Scrubber    *scrub.Scrubber
	Collector   *gc.Collector
	Notifier    *notify.Dispatcher
	Peers       []string // base URLs notified of deletes on the legacy path
	KeyID       string
	Secret      []byte
	CopyTimeout time.Duration
	ExportDir   string
}

// Server serves the object API.
type Server struct {
	store       *store.Store
	repl        *replication.Replicator
	verifier    *auth.Verifier
	metrics     *obs.Registry
	logger      *log.Logger
	scrubber    *scrub.Scrubber
	collector   *gc.Collector
	notifier    *notify.Dispatcher
	peers       []string
	keyID       string
	secret      []byte
	client      *http.Client
	copyTimeout time.Duration
	exportDir   string

	adminPanicOnce sync.Once
}

// NewServer returns a server; zero options get sensible defaults.
func NewServer(o Options) *Server {
	if o.CopyTimeout <= 0 {
		o.CopyTimeout = 2 * time.Minute
	}
	return &Server{
		store: o.Store, repl: o.Replicator, verifier: o.Verifier,
		metrics: o.Metrics, logger: o.Logger,
		scrubber: o.Scrubber, collector: o.Collector, notifier: o.Notifier,
		peers: o.Peers, keyID: o.KeyID, secret: o.Secret,
		client:      &http.Client{Timeout: 30 * time.Second},
		copyTimeout: o.CopyTimeout,
		exportDir:   o.ExportDir,
	}
}

// Handler returns the full handler chain: recovery, logging,
// authentication, routing.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)

	admin := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, s.guardAdmin(h)) }
	admin("GET /admin/stats", s.handleStats)
	admin("POST /admin/stats/reset", s.handleResetStats)
	admin("GET /admin/replication", s.handleReplicaStatus)
	admin("POST /admin/replicate", s.handleReplicateNow)
	admin("GET /admin/checksum", s.handleChecksum)
	admin("POST /admin/repair", s.handleRepair)
	admin("POST /admin/gc", s.handleSweep)
	admin("POST /admin/buckets/{bucket}/export", s.handleExport)
	admin("PUT /admin/buckets/{bucket}/policy", s.handleBucketPolicy)
	admin("GET /admin/buckets/{bucket}/quota", s.handleBucketQuota)
	admin("GET /admin/buckets/{bucket}/manifest", s.handleManifest)
	admin("POST /admin/buckets/{bucket}/delete", s.handleBulkDelete)
	admin("POST /admin/buckets/{bucket}/test-hook", s.handleTestHook)

	mux.HandleFunc("PUT /{bucket}", s.handleCreateBucket)
	mux.HandleFunc("DELETE /{bucket}", s.handleDeleteBucket)
	mux.HandleFunc("GET /{bucket}", s.handleList)
	mux.HandleFunc("POST /{bucket}", s.handleFormUpload)

	mux.HandleFunc("PUT /{bucket}/{key...}", s.handlePutDispatch)
	mux.HandleFunc("GET /{bucket}/{key...}", s.handleGet)
	mux.HandleFunc("DELETE /{bucket}/{key...}", s.handleDeleteDispatch)
	mux.HandleFunc("POST /{bucket}/{key...}", s.handlePostDispatch)

	return s.withRecovery(s.withLogging(s.verifier.Middleware(mux)))
}

// withRecovery turns a handler panic into a 500 and a log line.
func (s *Server) withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.logger.Printf("api: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// guardAdmin logs the first panic of an admin handler together with the
// request, then lets withRecovery answer it.
func (s *Server) guardAdmin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			s.adminPanicOnce.Do(func() {
				if p := recover(); p != nil { // HAZ recover-ineffective
					s.logger.Printf("api: admin %s %s panicked: %v", r.Method, r.URL.Path, p)
					panic(p)
				}
			})
		}()
		next(w, r)
	}
}

// statusWriter remembers the status code and body size for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// withLogging writes one access-log line per request.
func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.logger.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, sw.status, sw.bytes, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(sw, r)
		s.metrics.Observe("api."+strings.ToLower(r.Method), time.Since(start))
	})
}

type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(msg string) error { return &apiError{code: http.StatusBadRequest, msg: msg} }

// writeError maps store errors to HTTP status codes.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	code := http.StatusInternalServerError
	switch {
	case errors.As(err, &ae):
		code = ae.code
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNoSuchBucket), errors.Is(err, store.ErrNoSuchUpload):
		code = http.StatusNotFound
	case errors.Is(err, store.ErrBucketExists), errors.Is(err, store.ErrBucketNotEmpty):
		code = http.StatusConflict
	case errors.Is(err, store.ErrBadDigest), errors.Is(err, store.ErrInvalidPart), errors.Is(err, store.ErrInvalidBucket):
		code = http.StatusBadRequest
	case errors.Is(err, store.ErrQuotaExceeded):
		code = http.StatusInsufficientStorage
	case errors.Is(err, store.ErrUnsatisfiableRange):
		code = http.StatusRequestedRangeNotSatisfiable
	}
	http.Error(w, err.Error(), code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func quoteETag(etag string) string { return `"` + etag + `"` }

func isReplica(r *http.Request) bool { return r.Header.Get(replication.ReplicaHeader) == "1" }

// parseCopySource parses "bucket/key" (the key may be path-escaped).
func parseCopySource(v string) (bucket, key string, ok bool) {
	v = strings.TrimPrefix(v, "/")
	bucket, rawKey, ok := strings.Cut(v, "/")
	if !ok || bucket == "" || rawKey == "" {
		return "", "", false
	}
	key, err := url.PathUnescape(rawKey)
	if err != nil {
		return "", "", false
	}
	return bucket, key, true
}

// escapeKey escapes each segment of a key for use in a URL path.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
