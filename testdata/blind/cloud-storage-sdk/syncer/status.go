package syncer

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"time"
)

type auditEvent struct {
	Remote string    `json:"remote"`
	Action string    `json:"action"`
	At     time.Time `json:"at"`
}

// Handler returns the daemon's status API.
func (s *Syncer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/status", s.handleStatus)
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/probe", s.handleProbe)
	mux.HandleFunc("/trigger", s.handleTrigger)
	mux.HandleFunc("/retry", s.handleRetry)
	return mux
}

// writeJSON writes v as the JSON body of a response.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("syncer: write response: %v", err)
	}
}

func (s *Syncer) handleStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	doc := map[string]any{
		"synced": len(s.synced),
		"last":   s.last,
		"queued": len(s.jobs),
	}
	if s.lastErr != nil {
		doc["lastError"] = s.lastErr.Error()
	}
	if s.plan != nil {
		doc["plan"] = map[string]any{"id": s.plan.ID, "uploads": len(s.plan.Uploads), "done": s.plan.Done()}
	}
	writeJSON(w, http.StatusOK, doc)
}

// handleHealth checks that the bucket is reachable within two seconds.
func (s *Syncer) handleHealth(w http.ResponseWriter, r *http.Request) {
	res := make(chan error, 1)
	go func() {
		_, err := s.client.Exists(r.Context(), s.key(".healthz"))
		res <- err
	}()
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(2 * time.Second):
		http.Error(w, "storage check timed out", http.StatusGatewayTimeout)
	}
}

// handleProbe checks that the bucket is reachable within two seconds.
func (s *Syncer) handleProbe(w http.ResponseWriter, r *http.Request) {
	res := make(chan error)
	go func() {
		_, err := s.client.Exists(context.Background(), s.key(".probe"))
		res <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"storage": "ok"})
	case <-time.After(2 * time.Second):
		http.Error(w, "storage probe timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// audit posts an audit record to the audit service.
func (s *Syncer) audit(remote, action string) {
	if s.cfg.AuditURL == "" {
		return
	}
	body, err := json.Marshal(auditEvent{Remote: remote, Action: action, At: time.Now()})
	if err != nil {
		return
	}
	resp, err := s.http.Post(s.cfg.AuditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("syncer: audit: %v", err)
		return
	}
	resp.Body.Close()
}

// auditAsync queues an audit record without blocking; records are dropped
// when the queue is full.
func (s *Syncer) auditAsync(remote, action string) {
	select {
	case s.auditq <- auditEvent{Remote: remote, Action: action, At: time.Now()}:
	default:
		log.Printf("syncer: audit queue full, dropping %s from %s", action, remote)
	}
}

// RunAuditor ships queued audit records until ctx ends.
func (s *Syncer) RunAuditor(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.auditq:
			s.audit(ev.Remote, ev.Action)
		}
	}
}

// handleTrigger queues a path for immediate upload.
func (s *Syncer) handleTrigger(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer s.audit(r.RemoteAddr, "trigger") // HAZ defer-blocking-call
	rel := r.URL.Query().Get("path")
	if rel == "" {
		http.Error(w, "missing path", http.StatusBadRequest)
		return
	}
	if !s.Enqueue(rel) {
		http.Error(w, "queue full", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleRetry re-uploads a path synchronously.
func (s *Syncer) handleRetry(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer s.auditAsync(r.RemoteAddr, "retry")
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	if err := s.Retry(ctx, r.URL.Query().Get("path")); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
