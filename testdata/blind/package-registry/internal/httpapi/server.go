// Package httpapi is the registry's HTTP front end: GOPROXY-style downloads,
// blob fetches with range support, listings, uploads and admin endpoints.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/cache"
	"example.com/registry/internal/index"
	"example.com/registry/internal/upstream"
)

// Config wires a Server.
type Config struct {
	Store        *blobstore.Store
	Index        *index.Index
	Proxy        *cache.Proxy
	Upstream     *upstream.Client
	GC           *blobstore.Collector
	Rebuild      func(context.Context) (*index.Index, error)
	IndexPath    string
	MaxBody      int64
	UpstreamWait time.Duration
	// OnDrained, if set, is called when Drain has finished.
	OnDrained func()
	Logger    *log.Logger
}

type hit struct {
	path  string
	bytes int64
}

// Server serves the registry API.
type Server struct {
	store        *blobstore.Store
	idx          *index.Index
	proxy        *cache.Proxy
	up           *upstream.Client
	gc           *blobstore.Collector
	rebuild      func(context.Context) (*index.Index, error)
	indexPath    string
	maxBody      int64
	upstreamWait time.Duration
	onDrained    func()
	log          *log.Logger

	hits    chan hit
	uploads sync.WaitGroup
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	s := &Server{
		store:        cfg.Store,
		idx:          cfg.Index,
		proxy:        cfg.Proxy,
		up:           cfg.Upstream,
		gc:           cfg.GC,
		rebuild:      cfg.Rebuild,
		indexPath:    cfg.IndexPath,
		maxBody:      cfg.MaxBody,
		upstreamWait: cfg.UpstreamWait,
		log:          cfg.Logger,
		hits:         make(chan hit, 1024),
	}
	if cfg.OnDrained != nil {
		s.onDrained = cfg.OnDrained
	}
	if s.maxBody == 0 {
		s.maxBody = 500 << 20
	}
	return s
}

// Routes returns the handler tree.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{digest}", s.handleBlob)
	mux.HandleFunc("POST /blobs", s.handleUpload)
	mux.HandleFunc("GET /dl/{path...}", s.handleDownload)
	mux.HandleFunc("GET /list/{module...}", s.handleList)
	mux.HandleFunc("GET /latest/{module...}", s.handleLatest)
	mux.HandleFunc("GET /catalog", s.handleCatalog)
	mux.HandleFunc("GET /index.jsonl", s.handleIndexFile)
	mux.HandleFunc("POST /check/zip", s.handleCheckZip)
	mux.HandleFunc("POST /mirror", s.handleMirror)

	admin := http.NewServeMux()
	admin.HandleFunc("POST /admin/gc", s.handleGC)
	admin.HandleFunc("POST /admin/reindex", s.handleReindex)
	admin.HandleFunc("POST /admin/invalidate", s.handleInvalidate)
	admin.HandleFunc("GET /admin/stats", s.handleStats)
	mux.Handle("/admin/", s.withRecover(admin))
	return mux
}

// handlePanic turns a panic in a handler into a 500. It is deferred
// directly by the handlers.
func (s *Server) handlePanic(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		s.log.Printf("httpapi: panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// withRecover wraps next with handlePanic.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.handlePanic(w, r)
		next.ServeHTTP(w, r)
	})
}

// timer returns a function that logs the handler's latency when slow.
func (s *Server) timer(name string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > time.Second {
			s.log.Printf("httpapi: slow %s: %v", name, d)
		}
	}
}

// fetchError maps upstream and store errors to HTTP statuses.
func (s *Server) fetchError(w http.ResponseWriter, err error) {
	var se *upstream.StatusError
	switch {
	case errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone):
		http.Error(w, "not found", http.StatusNotFound)
	case errors.Is(err, fs.ErrNotExist):
		http.Error(w, "not found", http.StatusNotFound)
	case errors.Is(err, context.DeadlineExceeded):
		http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
	default:
		s.log.Printf("httpapi: %v", err)
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}
}

// writeJSON writes v as the JSON response body.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// contentType picks the media type of a GOPROXY path.
func contentType(path string) string {
	switch {
	case strings.HasSuffix(path, ".zip"):
		return "application/zip"
	case strings.HasSuffix(path, ".info"):
		return "application/json"
	default:
		return "text/plain; charset=utf-8"
	}
}

// handleBlob serves a blob by digest; http.ServeContent handles Range and
// conditional requests.
func (s *Server) handleBlob(w http.ResponseWriter, r *http.Request) {
	d, err := blobstore.ParseDigest(r.PathValue("digest"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, err := s.store.OpenBlob(d)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fetchError(w, err)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.fetchError(w, err)
		return
	}
	w.Header().Set("Docker-Content-Digest", string(d))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// handleDownload serves a GOPROXY path through the cache and records the hit
// for the popularity statistics that drive prefetching.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	var sent int64
	defer func() { // HAZ defer-blocking-call
		s.hits <- hit{path: path, bytes: sent}
	}()
	b, err := s.proxy.Get(r.Context(), path)
	if err != nil {
		s.fetchError(w, err)
		return
	}
	w.Header().Set("Content-Type", contentType(path))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	n, _ := w.Write(b)
	sent = int64(n)
}

// recordHit queues a hit without ever blocking the request.
func (s *Server) recordHit(path string, n int64) {
	select {
	case s.hits <- hit{path: path, bytes: n}:
	default:
	}
}

// handleLatest answers <module>/@latest. Upstream is authoritative, but if
// it is slow the local index answers.
func (s *Server) handleLatest(w http.ResponseWriter, r *http.Request) {
	mod := r.PathValue("module")
	type answer struct {
		info *upstream.VersionInfo
		err  error
	}
	ch := make(chan answer)
	go func() {
		info, err := s.up.Latest(r.Context(), mod)
		ch <- answer{info: info, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case a := <-ch:
		if a.err == nil {
			writeJSON(w, a.info)
			return
		}
		s.log.Printf("httpapi: latest %s: %v", mod, a.err)
	case <-time.After(s.upstreamWait):
	}
	versions := s.idx.Versions(mod)
	if len(versions) == 0 {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, upstream.VersionInfo{Version: versions[len(versions)-1]})
}

// HitLogger aggregates download hits and logs the counters every minute.
func (s *Server) HitLogger(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A bad hit record must not take the server down.
		}
	}()
	counts := make(map[string]int)
	var total int64
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.flushHits(counts, total)
			return
		case h := <-s.hits:
			counts[h.path]++
			total += h.bytes
		case <-t.C:
			s.flushHits(counts, total)
			clear(counts)
			total = 0
		}
	}
}

// flushHits logs the top paths of the last interval.
func (s *Server) flushHits(counts map[string]int, total int64) {
	if len(counts) == 0 {
		return
	}
	best, bestN := "", 0
	for path, n := range counts {
		if n > bestN {
			best, bestN = path, n
		}
	}
	s.log.Printf("httpapi: %d paths, %d bytes served; top %s (%d)", len(counts), total, best, bestN)
}

// Drain waits until in-flight uploads have finished or ctx ends, then runs
// the drain hook.
func (s *Server) Drain(ctx context.Context) error {
	defer s.onDrained() // HAZ defer-nil-func
	done := make(chan struct{})
	go func() {
		s.uploads.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
