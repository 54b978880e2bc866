// Package api is the mirror daemon's HTTP interface.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/up7/internal/fetch"
)

// Server serves mirror status and triggers syncs.
type Server struct {
	mu       sync.RWMutex
	status   map[string]string
	sources  map[string]fetch.Source
	inflight sync.WaitGroup
	fetch    *fetch.Fetcher
	client   *http.Client
	notify   string
	log      *log.Logger
}

// New returns a server; notify is a webhook URL told about finished syncs.
func New(f *fetch.Fetcher, sources map[string]fetch.Source, notify string, l *log.Logger) *Server {
	return &Server{
		status:  make(map[string]string),
		sources: sources,
		fetch:   f,
		client:  &http.Client{Timeout: 10 * time.Second},
		notify:  notify,
		log:     l,
	}
}

// Routes returns the server's handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("POST /sync/{name}", s.handleSync)
	mux.HandleFunc("POST /sync-async/{name}", s.handleSyncAsync)
	mux.HandleFunc("GET /mirror/{name}", s.handleMirror)
	mux.HandleFunc("GET /mirror-buffered/{name}", s.handleMirrorBuffered)
	mux.HandleFunc("GET /report", s.handleReport)
	return mux
}

func (s *Server) setStatus(name, st string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[name] = st
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.status); err != nil {
		s.log.Printf("status: %v", err)
	}
}

// waitIdle blocks until no sync is running.
func (s *Server) waitIdle() {
	s.inflight.Wait()
}

// handleSync starts a sync and answers once every running sync is done.
func (s *Server) handleSync(w http.ResponseWriter, r *http.Request) {
	src, ok := s.sources[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.inflight.Add(1)
	go s.runSync(context.WithoutCancel(r.Context()), src)
	defer s.waitIdle() // HAZ defer-blocking-call
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "sync of %s started\n", src.Name)
}

// handleSyncAsync starts a sync and answers at once.
func (s *Server) handleSyncAsync(w http.ResponseWriter, r *http.Request) {
	src, ok := s.sources[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.inflight.Add(1)
	go s.runSync(context.WithoutCancel(r.Context()), src)
	w.WriteHeader(http.StatusAccepted)
}

// post sends body to the notify webhook.
func (s *Server) post(ctx context.Context, body string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.notify, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	return s.client.Do(req)
}

// runSync fetches src, records the outcome and tells the webhook.
func (s *Server) runSync(ctx context.Context, src fetch.Source) (err error) {
	defer s.inflight.Done()
	defer func() {
		nctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		resp, perr := s.post(nctx, src.Name)
		defer resp.Body.Close() // HAZ defer-before-error-check
		if perr != nil {
			s.log.Printf("notify %s: %v", s.notify, perr)
			return
		}
		if resp.StatusCode >= 300 {
			s.log.Printf("notify %s: %s", s.notify, resp.Status)
		}
	}()
	s.setStatus(src.Name, "syncing")
	body, err := s.fetch.Fetch(ctx, src)
	if err != nil {
		s.setStatus(src.Name, "failed: "+err.Error())
		return err
	}
	s.setStatus(src.Name, fmt.Sprintf("ok (%d bytes)", len(body)))
	return nil
}

// Refresh re-fetches src synchronously and notifies the webhook; the
// deferred closure bounds its own work with a timeout and checks the error
// before it defers the body close.
func (s *Server) Refresh(ctx context.Context, src fetch.Source) (err error) {
	defer func() {
		nctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		resp, perr := s.post(nctx, src.Name)
		if perr != nil {
			s.log.Printf("notify %s: %v", s.notify, perr)
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			s.log.Printf("notify %s: %s", s.notify, resp.Status)
		}
	}()
	body, err := s.fetch.Fetch(ctx, src)
	if err != nil {
		s.setStatus(src.Name, "failed: "+err.Error())
		return err
	}
	s.setStatus(src.Name, fmt.Sprintf("ok (%d bytes)", len(body)))
	return nil
}

type outcome struct {
	body []byte
	err  error
}

// handleMirror proxies one source, giving up when the client goes away.
func (s *Server) handleMirror(w http.ResponseWriter, r *http.Request) {
	src, ok := s.sources[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ch := make(chan outcome)
	go func() {
		body, err := s.fetch.Fetch(context.WithoutCancel(r.Context()), src)
		ch <- outcome{body, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			http.Error(w, o.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(o.body)
	case <-r.Context().Done():
		s.log.Printf("mirror %s: client went away", src.Name)
	}
}

// handleMirrorBuffered is handleMirror with a one-slot channel, so the
// fetch goroutine can always deliver and exit.
func (s *Server) handleMirrorBuffered(w http.ResponseWriter, r *http.Request) {
	src, ok := s.sources[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ch := make(chan outcome, 1)
	go func() {
		body, err := s.fetch.Fetch(context.WithoutCancel(r.Context()), src)
		ch <- outcome{body, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			http.Error(w, o.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(o.body)
	case <-r.Context().Done():
		s.log.Printf("mirror %s: client went away", src.Name)
	}
}

// Report renders one line per mirror.
func (s *Server) Report() string {
	start := time.Now()
	defer func() { // HAZ defer-blocking-call
		s.mu.RLock()
		defer s.mu.Unlock() // HAZ defer-lock-mismatch
		s.log.Printf("report of %d mirrors built in %s", len(s.status), time.Since(start))
	}()
	return s.Summary()
}

// Summary renders one line per mirror under the read lock.
func (s *Server) Summary() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.status))
	for n := range s.status {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%-20s %s\n", n, s.status[n])
	}
	return b.String()
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, s.Summary())
}
