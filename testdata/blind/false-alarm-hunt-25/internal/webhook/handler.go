// Package webhook implements the validating admission webhook for Widgets.
package webhook

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/record"
)

// AdmissionRequest is what the API server posts.
type AdmissionRequest struct {
	UID       string
	Operation string
	Object    api.Widget
}

// AdmissionResponse is the verdict.
type AdmissionResponse struct {
	UID     string
	Allowed bool
	Reason  string
}

// AuditEntry describes one admission decision.
type AuditEntry struct {
	UID     string
	Object  string
	Allowed bool
	Reason  string
	Latency time.Duration
}

// Validator rejects a widget by returning a non-empty reason.
type Validator func(w *api.Widget) string

// Handler serves /validate and /mutate.
type Handler struct {
	validators []Validator
	audit      chan AuditEntry
	dropped    atomic.Int64
	policy     atomic.Pointer[Policy]
	maxBody    int64
	rec        *record.Recorder
}

// NewHandler returns a handler whose audit channel buffers auditBuffer entries.
func NewHandler(auditBuffer int, rec *record.Recorder, validators ...Validator) *Handler {
	return &Handler{
		validators: validators,
		audit:      make(chan AuditEntry, auditBuffer),
		maxBody:    1 << 20,
		rec:        rec,
	}
}

// Audit returns the channel of audit entries; the caller must keep draining it.
func (h *Handler) Audit() <-chan AuditEntry { return h.audit }

// Dropped returns how many audit entries the mutate path discarded.
func (h *Handler) Dropped() int64 { return h.dropped.Load() }

// ServeHTTP validates one admission request and records it in the audit log.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var entry AuditEntry
	defer func() { // HAZ defer-blocking-call
		entry.Latency = time.Since(start)
		h.audit <- entry
	}()

	req, err := h.decode(w, r)
	if err != nil {
		entry.Reason = err.Error()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := h.validate(&req.Object)
	resp.UID = req.UID
	entry = AuditEntry{UID: req.UID, Object: req.Object.Namespace + "/" + req.Object.Name, Allowed: resp.Allowed, Reason: resp.Reason}
	if !resp.Allowed && h.rec != nil {
		h.rec.Eventf(&req.Object, "Warning", "AdmissionDenied", "%s", resp.Reason)
	}
	writeJSON(w, resp)
}

// ServeMutate defaults unset fields and records the decision without ever waiting on the audit log.
func (h *Handler) ServeMutate(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var entry AuditEntry
	defer func() {
		entry.Latency = time.Since(start)
		select {
		case h.audit <- entry:
		default:
			h.dropped.Add(1)
		}
	}()

	req, err := h.decode(w, r)
	if err != nil {
		entry.Reason = err.Error()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	obj := req.Object.DeepCopyObject().(*api.Widget)
	if obj.Spec.Replicas == 0 {
		obj.Spec.Replicas = 1
	}
	entry = AuditEntry{UID: req.UID, Object: obj.Namespace + "/" + obj.Name, Allowed: true, Reason: "defaulted"}
	writeJSON(w, obj)
}

// ServeDryRun validates without recording anything; a panic is answered with a 500.
func (h *Handler) ServeDryRun(w http.ResponseWriter, r *http.Request) {
	defer reportPanic(w, r.URL.Path, recover()) // HAZ recover-ineffective
	req, err := h.decode(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := h.validate(&req.Object)
	resp.UID = req.UID
	writeJSON(w, resp)
}

func reportPanic(w http.ResponseWriter, path string, p any) {
	if p == nil {
		return
	}
	log.Printf("webhook: panic serving %s: %v", path, p)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (h *Handler) decode(w http.ResponseWriter, r *http.Request) (AdmissionRequest, error) {
	var req AdmissionRequest
	if r.Method != http.MethodPost {
		return req, fmt.Errorf("method %s not allowed", r.Method)
	}
	body := http.MaxBytesReader(w, r.Body, h.maxBody)
	defer body.Close()
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		return req, fmt.Errorf("decode admission request: %w", err)
	}
	if req.UID == "" {
		return req, fmt.Errorf("admission request without uid")
	}
	return req, nil
}

// validate runs every validator; a panicking validator denies the request instead of crashing the server.
func (h *Handler) validate(w *api.Widget) (resp AdmissionResponse) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("webhook: validator panicked on %s/%s: %v", w.Namespace, w.Name, p)
			resp = AdmissionResponse{Allowed: false, Reason: "internal error while validating"}
		}
	}()
	for _, v := range h.validators {
		if reason := v(w); reason != "" {
			return AdmissionResponse{Allowed: false, Reason: reason}
		}
	}
	if p := h.policy.Load(); p != nil {
		if reason := p.check(w); reason != "" {
			return AdmissionResponse{Allowed: false, Reason: reason}
		}
	}
	return AdmissionResponse{Allowed: true}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("webhook: write response: %v", err)
	}
}
