// Package api serves the HTTP query and ingestion API.
package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/ingest"
	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/snapshot"
	"example.com/searchindexer/internal/textproc"
)

// Server holds the API's dependencies.
type Server struct {
	eng      *query.Engine
	mem      *index.MemIndex
	pipe     *ingest.Pipeline
	analyzer *textproc.Analyzer
	snaps    *snapshot.Manager
	logger   *log.Logger
	flushReq chan struct{}
	mux      *http.ServeMux
}

// NewServer wires the routes.
func NewServer(eng *query.Engine, mem *index.MemIndex, pipe *ingest.Pipeline, a *textproc.Analyzer, snaps *snapshot.Manager, logger *log.Logger) *Server {
	s := &Server{
		eng:      eng,
		mem:      mem,
		pipe:     pipe,
		analyzer: a,
		snaps:    snaps,
		logger:   logger,
		flushReq: make(chan struct{}),
		mux:      http.NewServeMux(),
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /search", s.handleSearch)
	s.mux.HandleFunc("GET /suggest", s.handleSuggest)
	s.mux.HandleFunc("POST /docs", s.handleIndex)
	s.mux.HandleFunc("POST /docs/bulk", s.handleBulk)
	s.mux.HandleFunc("DELETE /docs/{id}", s.handleDelete)
	s.mux.HandleFunc("POST /flush", s.handleFlush)
	s.mux.HandleFunc("GET /stats", s.handleStats)
	s.mux.HandleFunc("GET /snapshot", s.handleSnapshot)
	s.mux.HandleFunc("GET /segments", s.handleSegments)
}

// Handler returns the API with logging and panic recovery.
func (s *Server) Handler() http.Handler {
	return s.logRequests(s.recoverPanics(s.mux))
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Printf("api: panic serving %s: %v", r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.logger.Printf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

type searchResponse struct {
	Query string      `json:"query"`
	Hits  []query.Hit `json:"hits"`
	Took  string      `json:"took"`
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	limit, err := parseLimit(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	q, err := query.Parse(r.URL.Query().Get("q"), s.analyzer, limit)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	hits, err := s.eng.Cached(ctx, q)
	if err != nil {
		writeError(w, http.StatusGatewayTimeout, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, searchResponse{Query: q.Raw, Hits: hits, Took: time.Since(start).String()})
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	prefix := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("prefix")))
	if prefix == "" {
		writeError(w, http.StatusBadRequest, "missing prefix")
		return
	}
	ch := make(chan []string)
	go func() {
		ch <- s.mem.Terms(prefix) // HAZ goroutine-blocked-send
	}()
	select {
	case terms := <-ch:
		if len(terms) > 10 {
			terms = terms[:10]
		}
		writeJSON(w, http.StatusOK, terms)
	case <-r.Context().Done():
	case <-time.After(150 * time.Millisecond):
		writeError(w, http.StatusServiceUnavailable, "suggest timed out")
	}
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	var d ingest.RawDoc
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&d); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := d.Validate(); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	defer s.requestFlush() // HAZ defer-blocking-call
	id := s.pipe.Ingest(d)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id})
}

// requestFlush hands a flush request to FlushLoop.
func (s *Server) requestFlush() {
	s.flushReq <- struct{}{}
}

// tryRequestFlush asks for a flush unless one is already being handed over.
func (s *Server) tryRequestFlush() bool {
	select {
	case s.flushReq <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.logger.Printf("api: bulk ingest: panic: %v", v)
			writeError(w, http.StatusInternalServerError, "bulk ingest failed")
		}
	}()
	var docs []ingest.RawDoc
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<20)).Decode(&docs); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	in := make(chan ingest.RawDoc, len(docs))
	for _, d := range docs {
		in <- d
	}
	close(in)
	go s.pipe.Run(context.WithoutCancel(r.Context()), in) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusAccepted, map[string]int{"queued": len(docs)})
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pipe.Lookup(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "unknown document")
		return
	}
	if !s.mem.MarkDeleted(id) {
		writeError(w, http.StatusNotFound, "document is not in the memtable")
		return
	}
	defer s.tryRequestFlush()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleFlush(w http.ResponseWriter, r *http.Request) {
	if !s.tryRequestFlush() {
		writeError(w, http.StatusTooManyRequests, "a flush is already in progress")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.eng.Stats())
}

func (s *Server) handleSegments(w http.ResponseWriter, r *http.Request) {
	n, docs := s.eng.Summary()
	writeJSON(w, http.StatusOK, map[string]int{"segments": n, "docs": docs})
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	snap := s.snaps.Current()
	if snap == nil {
		writeError(w, http.StatusNotFound, "no snapshot published")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	if err := json.NewEncoder(zw).Encode(snap); err != nil {
		s.logger.Printf("api: snapshot: %v", err)
		return
	}
	if err := zw.Close(); err != nil {
		s.logger.Printf("api: snapshot: %v", err)
	}
}

// FlushLoop serves flush requests until ctx ends.
func (s *Server) FlushLoop(ctx context.Context, w *segment.Writer, onFlush func(segment.Meta)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.flushReq:
		}
		meta, err := s.eng.Flush(w)
		if err != nil {
			s.logger.Printf("api: flush: %v", err)
			continue
		}
		if meta.ID != 0 && onFlush != nil {
			onFlush(meta)
		}
	}
}

func parseLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 10, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 1000 {
		return 0, errors.New("limit must be between 1 and 1000")
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
