package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/consumer/broker"
)

// GroupView is what the admin endpoint needs from the consumer.
type GroupView interface {
	Assigned() []broker.TopicPartition
	Lag() map[broker.TopicPartition]int64
	Pause(tp broker.TopicPartition) bool
	Resume(tp broker.TopicPartition) bool
}

// AdminConfig configures the admin endpoint.
type AdminConfig struct {
	Registry      *Registry
	View          GroupView
	Health        func(context.Context) error
	HealthTimeout time.Duration
	DeadLetterDir string
	WebhookURL    string
	Logger        *log.Logger
}

// Admin serves metrics, health, lag and partition controls.
type Admin struct {
	reg     *Registry
	view    GroupView
	health  func(context.Context) error
	timeout time.Duration
	dlqDir  string
	webhook string
	client  *http.Client
	log     *log.Logger
}

// NewAdmin returns the admin endpoint.
func NewAdmin(cfg AdminConfig) *Admin {
	if cfg.HealthTimeout <= 0 {
		cfg.HealthTimeout = 2 * time.Second
	}
	if cfg.Health == nil {
		cfg.Health = func(context.Context) error { return nil }
	}
	return &Admin{
		reg: cfg.Registry, view: cfg.View, health: cfg.Health, timeout: cfg.HealthTimeout,
		dlqDir: cfg.DeadLetterDir, webhook: cfg.WebhookURL,
		client: &http.Client{}, log: cfg.Logger,
	}
}

// Routes returns the admin handler.
func (a *Admin) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", a.handleMetrics)
	mux.HandleFunc("GET /healthz", a.handleHealth)
	mux.HandleFunc("GET /readyz", a.handleReady)
	mux.HandleFunc("GET /lag", a.handleLag)
	mux.HandleFunc("POST /partitions/{tp}/pause", a.handlePause)
	mux.HandleFunc("POST /partitions/{tp}/resume", a.handleResume)
	mux.HandleFunc("GET /dlq/{name}", a.handleDLQ)
	return mux
}

func (a *Admin) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := a.reg.WriteText(w); err != nil {
		a.log.Printf("metrics: %v", err)
	}
}

func (a *Admin) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), a.timeout)
	defer cancel()
	res := make(chan error)
	go func() {
		res <- a.health(ctx) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	case <-ctx.Done():
		http.Error(w, "health check timed out", http.StatusServiceUnavailable)
	}
}

// checkHealth calls the health func, reporting a panic in it as
// unhealthy.
func (a *Admin) checkHealth(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("health check panicked: %v", p)
		}
	}()
	return a.health(ctx)
}

// handleReady is the readiness probe: like healthz, but the check runs in
// the request goroutine, bounded by the probe's own deadline.
func (a *Admin) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), a.timeout)
	defer cancel()
	if err := a.checkHealth(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

func (a *Admin) handleLag(w http.ResponseWriter, r *http.Request) {
	lag := a.view.Lag()
	out := make(map[string]int64, len(lag))
	for tp, n := range lag {
		out[tp.String()] = n
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Admin) handlePause(w http.ResponseWriter, r *http.Request) {
	tp, err := broker.ParseTopicPartition(r.PathValue("tp"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !a.view.Pause(tp) {
		http.Error(w, "partition not assigned to this member", http.StatusConflict)
		return
	}
	defer a.notify("paused", tp) // HAZ defer-blocking-call
	writeJSON(w, http.StatusAccepted, map[string]string{"paused": tp.String()})
}

func (a *Admin) handleResume(w http.ResponseWriter, r *http.Request) {
	tp, err := broker.ParseTopicPartition(r.PathValue("tp"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !a.view.Resume(tp) {
		http.Error(w, "partition is not paused", http.StatusConflict)
		return
	}
	go a.notify("resumed", tp)
	writeJSON(w, http.StatusAccepted, map[string]string{"resumed": tp.String()})
}

// notify posts a partition event to the operators' webhook.
func (a *Admin) notify(event string, tp broker.TopicPartition) {
	if a.webhook == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"event": event, "partition": tp.String()})
	if err != nil {
		return
	}
	resp, err := a.client.Post(a.webhook, "application/json", bytes.NewReader(body))
	if err != nil {
		a.log.Printf("webhook %s: %v", event, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		a.log.Printf("webhook %s: status %s", event, resp.Status)
	}
}

func (a *Admin) handleDLQ(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name != filepath.Base(name) || !strings.HasSuffix(name, ".jsonl") {
		http.Error(w, "bad segment name", http.StatusBadRequest)
		return
	}
	f, err := os.Open(filepath.Join(a.dlqDir, name))
	if err != nil {
		http.Error(w, "no such segment", http.StatusNotFound)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/x-ndjson")
	if _, err := io.Copy(w, f); err != nil {
		a.log.Printf("dlq %s: %v", name, err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}
