// Package admin serves the HTTP administration API of the plugin host and
// the workflow engine.
package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/unusualpos3/internal/plugin"
	"example.com/unusualpos3/internal/workflow"
)

// Server is the admin API.
type Server struct {
	host     *plugin.Host
	eng      *workflow.Engine
	client   *http.Client
	auditURL string
	timeout  time.Duration
	events   chan string
	logger   *log.Logger
}

type auditEntry struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	At     time.Time `json:"at"`
}

// NewServer returns the admin API for host and eng.
func NewServer(host *plugin.Host, eng *workflow.Engine, auditURL string, logger *log.Logger) *Server {
	return &Server{
		host:     host,
		eng:      eng,
		client:   &http.Client{Timeout: 10 * time.Second},
		auditURL: auditURL,
		timeout:  5 * time.Second,
		events:   make(chan string, 64),
		logger:   logger,
	}
}

// Routes returns the API's handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /plugins/{name}", s.handleDescribe)
	mux.HandleFunc("POST /plugins/{name}/invoke", s.handleInvoke)
	mux.HandleFunc("POST /runs/{id}/execute", s.handleRun)
	mux.HandleFunc("POST /runs/{id}/retry", s.handleRetry)
	mux.HandleFunc("POST /plugins/warm", s.handleWarm)
	return mux
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleDescribe(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	d, err := s.host.Describe(ctx, r.PathValue("name"))
	if errors.Is(err, plugin.ErrNotLoaded) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(d)
}

func (s *Server) handleInvoke(w http.ResponseWriter, r *http.Request) {
	defer s.reportAudit(r.Method, r.URL.Path) // HAZ defer-blocking-call
	name := r.PathValue("name")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := plugin.Request{Op: r.URL.Query().Get("op"), Payload: body}
	resp, err := s.host.CallWithDeadline(r.Context(), name, req, s.timeout)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// reportAudit sends an audit entry for an admin request.
func (s *Server) reportAudit(method, path string) {
	entry := auditEntry{Method: method, Path: path, At: time.Now()}
	if err := s.postAudit(entry); err != nil {
		s.logger.Printf("audit: %v", err)
	}
}

// postAudit posts e to the audit collector.
func (s *Server) postAudit(e auditEntry) error {
	if s.auditURL == "" {
		return nil
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	resp, err := s.client.Post(s.auditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("audit collector: %s", resp.Status)
	}
	return nil
}

func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	done := make(chan error)
	go func() {
		done <- s.eng.Execute(context.WithoutCancel(r.Context()), id) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(s.timeout):
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "run %s still executing\n", id)
	}
}

func (s *Server) handleRetry(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer func() {
		select {
		case s.events <- "retry " + id:
		default:
			s.logger.Printf("event queue full, dropped retry %s", id)
		}
	}()
	if err := s.eng.Retry(id); err != nil && !errors.Is(err, workflow.ErrTransition) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	names := strings.Split(r.URL.Query().Get("names"), ",")
	for _, n := range names {
		if n == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, err := s.host.Call(ctx, n, plugin.Request{Op: "warm"}); err != nil {
				s.logger.Printf("warm %s: %v", n, err)
			}
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}

// Serve runs the API on addr until ctx is cancelled, then shuts down within
// five seconds.
func (s *Server) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
