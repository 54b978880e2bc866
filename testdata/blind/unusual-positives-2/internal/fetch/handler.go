package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"
)

type auditEvent struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	At     time.Time `json:"at"`
}

// Handler serves the upload and render endpoints.
type Handler struct {
	client   *http.Client
	auditURL string
	uploads  *Uploader
	renderer func(path string) []byte
	log      *log.Logger
}

// NewHandler wires a handler.
func NewHandler(u *Uploader, auditURL string, render func(string) []byte, l *log.Logger) *Handler {
	return &Handler{client: &http.Client{Timeout: 5 * time.Second}, auditURL: auditURL, uploads: u, renderer: render, log: l}
}

// Upload stores the request body under the name in the query.
func (h *Handler) Upload(w http.ResponseWriter, r *http.Request) {
	defer h.audit(r) // HAZ defer-blocking-call
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.uploads.UploadChecked(r.URL.Query().Get("name"), data); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (h *Handler) audit(r *http.Request) {
	h.sendAudit(auditEvent{Method: r.Method, Path: r.URL.Path, At: time.Now()})
}

func (h *Handler) sendAudit(ev auditEvent) {
	body, _ := json.Marshal(ev)
	resp, err := h.client.Post(h.auditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		h.log.Printf("audit: %v", err)
		return
	}
	resp.Body.Close()
}

// UploadAsync stores the body and sends the audit record in the background,
// bounded by its own timeout.
func (h *Handler) UploadAsync(w http.ResponseWriter, r *http.Request) {
	ev := auditEvent{Method: r.Method, Path: r.URL.Path, At: time.Now()}
	defer func() { go h.sendAudit(ev) }()
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.uploads.UploadChecked(r.URL.Query().Get("name"), data); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// Render renders a page, giving up when the client goes away.
func (h *Handler) Render(w http.ResponseWriter, r *http.Request) {
	pages := make(chan []byte)
	render := h.renderer
	go func() { pages <- render(r.URL.Path) }() // HAZ goroutine-blocked-send
	select {
	case b := <-pages:
		w.Header().Set("Content-Type", "text/html")
		w.Write(b)
	case <-r.Context().Done():
		h.log.Printf("render %s: client gone", r.URL.Path)
	}
}

// Preview renders with a deadline; the page channel has room for the late
// result.
func (h *Handler) Preview(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	pages := make(chan []byte, 1)
	go func() { pages <- h.renderer(r.URL.Path) }()
	select {
	case b := <-pages:
		w.Write(b)
	case <-ctx.Done():
		http.Error(w, "render timed out", http.StatusGatewayTimeout)
	}
}
