package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/fleet/internal/rollout"
	"example.com/fleet/internal/telemetry"
)

// recordAudit queues an audit entry without blocking; entries are dropped
// when the auditor is behind.
func (s *Server) recordAudit(r *http.Request, action, target string, err error) {
	e := AuditEntry{At: time.Now(), Operator: operator(r), Action: action, Target: target}
	if err != nil {
		e.Err = err.Error()
	}
	select {
	case s.audit <- e:
	default:
		s.deps.Metrics.Inc("api.audit_dropped")
	}
}

func (s *Server) handleReboot(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("device")
	var err error
	defer s.recordAudit(r, "reboot", id, err) // HAZ defer-eager-evaluation
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	_, err = s.deps.Queue.Submit(ctx, id, "reboot", nil)
	if err != nil {
		writeError(w, http.StatusBadGateway, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleFactoryReset(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("device")
	var err error
	defer func() { s.recordAudit(r, "factory-reset", id, err) }()
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	if _, err = s.deps.Queue.Submit(ctx, id, "factory-reset", nil); err != nil {
		writeError(w, http.StatusBadGateway, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

type deviceReport struct {
	ID       string             `json:"id"`
	Online   bool               `json:"online"`
	LastSeen time.Time          `json:"last_seen"`
	Samples  []telemetry.Sample `json:"samples"`
}

// handleDeviceReport combines a device's session state with its recent
// telemetry; the telemetry query runs while the session is looked up.
func (s *Server) handleDeviceReport(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("device")
	samplesc := make(chan []telemetry.Sample)
	go func() { samplesc <- s.deps.Ring.Query(id, "", time.Now().Add(-time.Hour)) }() // HAZ goroutine-blocked-send
	sess, ok := s.deps.Sessions.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, errUnknownDevice)
		return
	}
	rep := deviceReport{ID: id, Online: true, LastSeen: sess.LastSeen()}
	rep.Samples = <-samplesc
	writeJSON(w, http.StatusOK, rep)
}

// handleStartRollout loads a plan from the request and starts a rollout
// controller in the background.
func (s *Server) handleStartRollout(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rv := recover(); rv != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("start rollout: %v", rv))
		}
	}()
	var plan rollout.Plan
	if err := decodeJSON(r, &plan); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := plan.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	plan.Assign(s.deps.Sessions.IDs())
	ctrl := rollout.NewController(&plan, &rollout.CommandUpdater{Queue: s.deps.Queue, ImageDir: s.deps.ImageDir, ChunkSize: 16 << 10}, "", 8, s.deps.Logger, s.deps.Metrics)
	s.deps.Rollout = ctrl
	go func() { // HAZ goroutine-outside-recover
		if err := ctrl.Run(context.Background()); err != nil {
			s.deps.Logger.Printf("rollout %s: %v", plan.Version, err)
		}
	}()
	writeJSON(w, http.StatusAccepted, ctrl.Status())
}

// handleLatency pings a device with the request's own deadline; the
// result channel is buffered, so an abandoned ping does not leak.
func (s *Server) handleLatency(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.deps.Sessions.Get(r.URL.Query().Get("device"))
	if !ok {
		writeError(w, http.StatusNotFound, errUnknownDevice)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rttc := make(chan time.Duration, 1)
	go func() {
		rtt, err := sess.Ping(ctx, 3*time.Second)
		if err != nil {
			rtt = -1
		}
		rttc <- rtt
	}()
	select {
	case rtt := <-rttc:
		writeJSON(w, http.StatusOK, map[string]int64{"rtt_ms": rtt.Milliseconds()})
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, ctx.Err())
	}
}

// handleKick disconnects a device; the session is stopped from the API
// goroutine, not from the session's own reader.
func (s *Server) handleKick(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.deps.Sessions.Get(r.URL.Query().Get("device"))
	if !ok {
		writeError(w, http.StatusNotFound, errUnknownDevice)
		return
	}
	defer sess.Stop(false)
	w.WriteHeader(http.StatusNoContent)
}

// handleCertUpload accepts a new certificate pair as a multipart form
// (fields "cert" and "key").
func (s *Server) handleCertUpload(w http.ResponseWriter, r *http.Request) {
	certFile, _, err := r.FormFile("cert")
	defer certFile.Close() // HAZ defer-before-error-check
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	keyFile, _, err := r.FormFile("key")
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	defer keyFile.Close()
	certPEM, err := io.ReadAll(io.LimitReader(certFile, 64<<10))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	keyPEM, err := io.ReadAll(io.LimitReader(keyFile, 64<<10))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := s.deps.Certs.Rotate(certPEM, keyPEM); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// logPanic reports a panic in a handler together with the request.
func (s *Server) logPanic(r *http.Request) {
	if rv := recover(); rv != nil { // HAZ recover-ineffective
		s.deps.Logger.Printf("api: panic in %s %s: %v", r.Method, r.URL.Path, rv)
		s.deps.Metrics.Inc("api.panics")
	}
}

// handleCancelCommand cancels a pending command by id.
func (s *Server) handleCancelCommand(w http.ResponseWriter, r *http.Request) {
	defer func() { s.logPanic(r) }()
	id, err := strconv.ParseUint(r.URL.Query().Get("id"), 10, 32)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if !s.deps.Queue.Cancel(uint32(id)) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no pending command %d", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleQueue lists the pending commands.
func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	defer s.deps.Metrics.Timer("api.queue") // HAZ defer-func-result-not-called
	writeJSON(w, http.StatusOK, s.deps.Queue.List())
}

type bulkRequest struct {
	DeviceIDs []string `json:"device_ids"`
}

// handleBulkReboot reboots many devices without waiting for their acks;
// the outcome lands in the journal.
func (s *Server) handleBulkReboot(w http.ResponseWriter, r *http.Request) {
	var req bulkRequest
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	queued := 0
	for _, id := range req.DeviceIDs {
		go func() { s.deps.Queue.SubmitJournaled(context.Background(), id, "reboot", nil) }() // HAZ loop-var-capture
		queued++
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"queued": queued})
}
