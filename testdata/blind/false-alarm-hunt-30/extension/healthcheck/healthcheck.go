// Package healthcheck serves /health (aggregated component status) and
// /ready (exporter endpoints reachable) for orchestrator probes.
package healthcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"example.com/fah30/component"
)

// Prober checks one dependency, e.g. an exporter endpoint.
type Prober interface {
	Probe(ctx context.Context) error
}

// Config configures the extension.
type Config struct {
	Endpoint     string
	ProbeTimeout time.Duration
}

// Extension is the health check extension.
type Extension struct {
	cfg     Config
	board   *component.StatusBoard
	probers map[string]Prober
	logger  *log.Logger

	srv      *http.Server
	done     chan struct{}
	serveErr error
}

// New returns the extension.
func New(cfg Config, board *component.StatusBoard, probers map[string]Prober, logger *log.Logger) *Extension {
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = 2 * time.Second
	}
	return &Extension{cfg: cfg, board: board, probers: probers, logger: logger}
}

// Start serves in the background; Shutdown joins the serving goroutine.
func (e *Extension) Start(_ context.Context, _ component.Host) error {
	ln, err := net.Listen("tcp", e.cfg.Endpoint)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", e.handleHealth)
	mux.HandleFunc("GET /ready", e.handleReady)
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 2 * time.Second}
	e.done = make(chan struct{})
	go func() {
		defer close(e.done)
		if err := e.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			e.serveErr = err
		}
	}()
	return nil
}

// Shutdown stops the server within ctx.
func (e *Extension) Shutdown(ctx context.Context) error {
	if e.srv == nil {
		return nil
	}
	err := e.srv.Shutdown(ctx)
	select {
	case <-e.done:
		return errors.Join(err, e.serveErr)
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}

type healthBody struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

func (e *Extension) handleHealth(w http.ResponseWriter, _ *http.Request) {
	status, err := e.board.Aggregate()
	body := healthBody{Status: "ok"}
	code := http.StatusOK
	switch status {
	case component.StatusStarting:
		body.Status, code = "starting", http.StatusServiceUnavailable
	case component.StatusRecoverableError:
		body.Status = "degraded"
	case component.StatusPermanentError:
		body.Status, code = "failed", http.StatusServiceUnavailable
	}
	if err != nil {
		body.Error = err.Error()
	}
	writeJSON(w, code, body)
}

// probeAll probes every dependency in parallel under ProbeTimeout; each
// goroutine writes only under mu and all are joined before returning.
func (e *Extension) probeAll(ctx context.Context) map[string]string {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.ProbeTimeout)
	defer cancel()
	var (
		mu       sync.Mutex
		failures = map[string]string{}
		wg       sync.WaitGroup
	)
	for name, p := range e.probers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Probe(ctx); err != nil {
				mu.Lock()
				failures[name] = err.Error()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failures
}

func (e *Extension) handleReady(w http.ResponseWriter, req *http.Request) {
	if req.URL.Query().Get("deep") == "1" {
		e.handleDeep(w, req)
		return
	}
	if failures := e.probeAll(req.Context()); len(failures) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, failures)
		return
	}
	writeJSON(w, http.StatusOK, healthBody{Status: "ready"})
}

// handleDeep is /ready?deep=1: like /ready, but answers 503 right away when
// the probes overrun the probe timeout plus a second.
func (e *Extension) handleDeep(w http.ResponseWriter, req *http.Request) {
	res := make(chan map[string]string)
	go func() {
		res <- e.probeAll(req.Context()) // HAZ goroutine-blocked-send
	}()
	select {
	case failures := <-res:
		if len(failures) > 0 {
			writeJSON(w, http.StatusServiceUnavailable, failures)
			return
		}
		writeJSON(w, http.StatusOK, healthBody{Status: "ready"})
	case <-time.After(e.cfg.ProbeTimeout + time.Second):
		writeJSON(w, http.StatusServiceUnavailable, healthBody{Status: "probe timeout"})
	}
}

// CheckNow is the start-up gate: it fails fast when a component already
// failed permanently, and otherwise waits for the dependency probes.
func (e *Extension) CheckNow(ctx context.Context) error {
	probed := make(chan map[string]string)
	go func() {
		probed <- e.probeAll(ctx) // HAZ goroutine-blocked-send
	}()
	if status, err := e.board.Aggregate(); status == component.StatusPermanentError {
		return fmt.Errorf("healthcheck: a component failed permanently: %w", err)
	}
	if failures := <-probed; len(failures) > 0 {
		return fmt.Errorf("healthcheck: dependencies not ready: %v", failures)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("healthcheck: write response: %v", err)
	}
}
