package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/fleet/internal/pubsub"
	"example.com/fleet/internal/rollout"
)

var errUnknownDevice = errors.New("unknown or disconnected device")

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid request body: %w", err)
	}
	return nil
}

// operator names the caller for the audit trail.
func operator(r *http.Request) string {
	if op := r.Header.Get("X-Operator"); op != "" {
		return op
	}
	return "unknown"
}

func (s *Server) handleListDevices(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.deps.Sessions.Snapshot())
}

type commandRequest struct {
	DeviceID string `json:"device_id"`
	Name     string `json:"name"`
	Args     []byte `json:"args,omitempty"`
}

func (s *Server) handleSendCommand(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	var req commandRequest
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	entry := AuditEntry{At: time.Now(), Operator: operator(r), Action: "command:" + req.Name, Target: req.DeviceID}
	defer func() { s.audit <- entry }() // HAZ defer-blocking-call
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	res, err := s.deps.Queue.Submit(ctx, req.DeviceID, req.Name, req.Args)
	if err != nil {
		entry.Err = err.Error()
		writeError(w, http.StatusBadGateway, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handlePing(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.deps.Sessions.Get(r.URL.Query().Get("device"))
	if !ok {
		writeError(w, http.StatusNotFound, errUnknownDevice)
		return
	}
	type pong struct {
		rtt time.Duration
		err error
	}
	res := make(chan pong)
	go func() { rtt, err := sess.Ping(context.Background(), 10*time.Second); res <- pong{rtt, err} }() // HAZ goroutine-blocked-send
	select {
	case p := <-res:
		if p.err != nil {
			writeError(w, http.StatusBadGateway, p.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"rtt": p.rtt.String()})
	case <-time.After(3 * time.Second):
		writeError(w, http.StatusGatewayTimeout, errors.New("device did not answer in time"))
	case <-r.Context().Done():
	}
}

type broadcastRequest struct {
	DeviceIDs []string `json:"device_ids"`
	Name      string   `json:"name"`
	Args      []byte   `json:"args,omitempty"`
}

// handleBroadcast sends one command to many devices and reports failures.
// The result channel has room for every device, so a timeout here leaves
// no goroutine behind.
func (s *Server) handleBroadcast(w http.ResponseWriter, r *http.Request) {
	var req broadcastRequest
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	type result struct {
		id  string
		err error
	}
	results := make(chan result, len(req.DeviceIDs))
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	for _, id := range req.DeviceIDs {
		go func(id string) {
			_, err := s.deps.Queue.Submit(ctx, id, req.Name, req.Args)
			results <- result{id: id, err: err}
		}(id)
	}
	failed := make(map[string]string)
	for range req.DeviceIDs {
		select {
		case res := <-results:
			if res.err != nil {
				failed[res.id] = res.err.Error()
			}
		case <-ctx.Done():
			writeJSON(w, http.StatusGatewayTimeout, map[string]any{"failed": failed, "error": "timeout"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"failed": failed})
}

func (s *Server) handleTelemetry(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dev := q.Get("device")
	if dev == "" {
		writeError(w, http.StatusBadRequest, errors.New("device is required"))
		return
	}
	since := time.Now().Add(-15 * time.Minute)
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		since = t
	}
	writeJSON(w, http.StatusOK, s.deps.Ring.Query(dev, q.Get("metric"), since))
}

func (s *Server) handleResizeRing(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	n, err := strconv.Atoi(r.URL.Query().Get("capacity"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	defer s.deps.Ring.Stats().Log(s.deps.Logger) // HAZ defer-call-chain
	s.deps.Ring.Resize(n)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRolloutStatus(w http.ResponseWriter, r *http.Request) {
	if s.deps.Rollout == nil {
		writeError(w, http.StatusNotFound, errors.New("no rollout in progress"))
		return
	}
	writeJSON(w, http.StatusOK, s.deps.Rollout.Status())
}

func (s *Server) handleRolloutPause(w http.ResponseWriter, r *http.Request) {
	if s.deps.Rollout == nil {
		writeError(w, http.StatusNotFound, errors.New("no rollout in progress"))
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.deps.Rollout.Pause()
	case http.MethodDelete:
		s.deps.Rollout.Unpause()
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	writeJSON(w, http.StatusOK, s.deps.Rollout.Status())
}

func (s *Server) handleUploadFirmware(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	body := http.MaxBytesReader(w, r.Body, 64<<20)
	path, err := rollout.StageImage(s.deps.ImageDir, body, r.Header.Get("X-Firmware-SHA256"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": path})
}

type rotateRequest struct {
	CertPEM string `json:"cert_pem"`
	KeyPEM  string `json:"key_pem"`
}

func (s *Server) handleRotateCert(w http.ResponseWriter, r *http.Request) {
	defer s.deps.Metrics.Timer("api.rotate_cert") // HAZ defer-func-result-not-called
	var req rotateRequest
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := s.deps.Certs.Rotate([]byte(req.CertPEM), []byte(req.KeyPEM)); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"not_after": s.deps.Certs.NotAfter().Format(time.RFC3339)})
}

// handleEvents streams broker messages as server-sent events.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, errors.New("streaming unsupported"))
		return
	}
	filter := r.URL.Query().Get("topic")
	if filter == "" {
		filter = "#"
	}
	sub, err := s.deps.Broker.Subscribe(filter, 32)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	defer s.deps.Broker.Unsubscribe(sub)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case m, ok := <-sub.C():
			if !ok {
				return
			}
			if err := writeEvent(w, m); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

func writeEvent(w io.Writer, m pubsub.Message) error {
	_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.Topic, m.Payload)
	return err
}
