// Package api is the HTTP interface of tideindexd.
package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/up20/internal/index"
	"example.com/up20/internal/spool"
)

// Server serves lookups and accepts lines for the spool.
type Server struct {
	ix       *index.Index
	sp       *spool.Spool
	spoolMu  sync.Mutex
	inflight sync.WaitGroup
	tokens   chan struct{}
	logger   *log.Logger
}

// NewServer returns a Server allowing at most maxLookups concurrent lookups.
func NewServer(ix *index.Index, sp *spool.Spool, maxLookups int, logger *log.Logger) *Server {
	return &Server{ix: ix, sp: sp, tokens: make(chan struct{}, maxLookups), logger: logger}
}

// Routes returns the HTTP handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ingest", s.handleIngest)
	mux.HandleFunc("GET /lookup/{key...}", s.handleLookup)
	mux.HandleFunc("GET /stats", s.handleStats)
	return mux
}

// settle waits until the background appends of all requests are done.
func (s *Server) settle() {
	s.inflight.Wait()
	s.logger.Printf("api: spool settled")
}

// appendLines writes lines to the spool in the background.
func (s *Server) appendLines(lines []string) {
	s.spoolMu.Lock()
	defer s.spoolMu.Unlock()
	if err := s.sp.AppendRotating(lines); err != nil {
		s.logger.Printf("api: spool append: %v", err)
	}
}

func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) {
	defer s.settle() // HAZ defer-blocking-call
	var lines []string
	sc := bufio.NewScanner(r.Body)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		s.appendLines(lines)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// acquire takes a lookup token without waiting.
func (s *Server) acquire() bool {
	select {
	case s.tokens <- struct{}{}:
		return true
	default:
		return false
	}
}

// release returns a lookup token without ever blocking.
func (s *Server) release() {
	select {
	case <-s.tokens:
	default:
	}
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	if !s.acquire() {
		http.Error(w, "busy", http.StatusTooManyRequests)
		return
	}
	defer s.release()
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	e, err := s.ix.Lookup(r.PathValue("key"), time.Now())
	if errors.Is(err, index.ErrNotFound) || errors.Is(err, index.ErrExpired) {
		http.NotFound(w, r)
		return
	}
	if err := ctx.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(e); err != nil {
		s.logger.Printf("api: encode: %v", err)
	}
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st := s.ix.Stats()
	defer s.logger.Printf("api: stats served to %s", r.RemoteAddr)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(st); err != nil {
		s.logger.Printf("api: encode: %v", err)
	}
}
