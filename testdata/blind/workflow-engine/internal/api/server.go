// Package api exposes the engine over HTTP/JSON.
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/wfengine/internal/history"
	"example.com/wfengine/internal/workflow"
)

// Engine is what the API needs from the workflow runner.
type Engine interface {
	Start(ctx context.Context, name, id string, input []byte) error
	Complete(ctx context.Context, id string, result []byte) error
	Cancel(ctx context.Context, id, reason string) error
	Describe(id string) (workflow.Execution, bool)
}

// Server serves the public API.
type Server struct {
	eng             Engine
	log             *log.Logger
	hc              *http.Client
	webhookURL      string
	auditURL        string
	historyDir      string
	describeTimeout time.Duration
}

// Options configures optional integrations.
type Options struct {
	WebhookURL string // notified when a workflow completes
	AuditURL   string // receives cancellation audit records
	HistoryDir string // served read-only under /v1/history
}

// NewServer returns an API server for eng.
func NewServer(eng Engine, logger *log.Logger, opts Options) *Server {
	return &Server{
		eng:             eng,
		log:             logger,
		hc:              &http.Client{},
		webhookURL:      opts.WebhookURL,
		auditURL:        opts.AuditURL,
		historyDir:      opts.HistoryDir,
		describeTimeout: 2 * time.Second,
	}
}

// Routes returns the HTTP handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/workflows", s.handleStart)
	mux.HandleFunc("GET /v1/workflows/{id}", s.handleDescribe)
	mux.HandleFunc("POST /v1/workflows/{id}/complete", s.handleComplete)
	mux.HandleFunc("POST /v1/workflows/{id}/cancel", s.handleCancel)
	mux.HandleFunc("GET /v1/history/events", s.handleEvents)
	mux.HandleFunc("GET /v1/history/backup", guard(s.handleBackup))
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return Recover(mux, s.log)
}

type startRequest struct {
	Workflow string          `json:"workflow"`
	ID       string          `json:"id,omitempty"`
	Input    json.RawMessage `json:"input,omitempty"`
}

func (s *Server) handleStart(w http.ResponseWriter, r *http.Request) {
	var req startRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	if req.Workflow == "" {
		httpError(w, http.StatusBadRequest, errors.New("workflow is required"))
		return
	}
	if req.ID == "" {
		req.ID = newID()
	}
	if err := s.eng.Start(r.Context(), req.Workflow, req.ID, req.Input); err != nil {
		httpError(w, http.StatusConflict, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"id": req.ID})
}

func (s *Server) handleDescribe(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	type lookup struct {
		ex workflow.Execution
		ok bool
	}
	ch := make(chan lookup)
	go func() {
		ex, ok := s.eng.Describe(id)
		ch <- lookup{ex, ok} // HAZ goroutine-blocked-send
	}()
	select {
	case l := <-ch:
		if !l.ok {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, http.StatusOK, l.ex)
	case <-r.Context().Done():
	case <-time.After(s.describeTimeout):
		httpError(w, http.StatusGatewayTimeout, errors.New("describe timed out"))
	}
}

func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.notifyWebhook(id, "completed") // HAZ defer-blocking-call
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	if err := s.eng.Complete(r.Context(), id, body); err != nil {
		httpError(w, http.StatusConflict, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// notifyWebhook tells the configured endpoint about a workflow event.
func (s *Server) notifyWebhook(id, event string) {
	if s.webhookURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"id": id, "event": event})
	if err != nil {
		return
	}
	resp, err := s.hc.Post(s.webhookURL, "application/json", bytes.NewReader(body))
	if err != nil {
		s.log.Printf("api: webhook for %s: %v", id, err)
		return
	}
	resp.Body.Close()
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req cancelRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil && !errors.Is(err, io.EOF) {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 500*time.Millisecond)
		defer cancel()
		s.audit(ctx, "cancel", id, req.Reason)
	}()
	if err := s.eng.Cancel(r.Context(), id, req.Reason); err != nil {
		httpError(w, http.StatusConflict, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// audit ships an audit record; ctx bounds how long it may take.
func (s *Server) audit(ctx context.Context, action, id, detail string) {
	if s.auditURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"action": action, "id": id, "detail": detail})
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(body))
	if err != nil {
		s.log.Printf("api: audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		s.log.Printf("api: audit %s %s: %v", action, id, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.log.Printf("api: audit %s %s: %s", action, id, resp.Status)
	}
}

// handleEvents streams every sealed segment, concatenated, as JSON lines.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	names, err := history.ListSegments(s.historyDir)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	for _, name := range names {
		f, err := os.Open(filepath.Join(s.historyDir, name))
		if err != nil {
			s.log.Printf("api: events: %v", err)
			return
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(w, f); err != nil {
			return
		}
	}
}

// handleBackup streams a tarball of the sealed history.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Disposition", `attachment; filename="history.tar"`)
	if err := history.BackupTo(w, s.historyDir); err != nil {
		s.log.Printf("api: backup: %v", err)
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}

func httpError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func newID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
