package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/url"
	"time"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/pipeline"
	"example.com/up16/internal/sink"
)

// Handler serves catalog entries and payloads.
type Handler struct {
	Catalog  *catalog.Catalog
	Source   sink.Source
	Fetcher  *pipeline.Fetcher
	Upstream string
	Log      *log.Logger

	audit *auditClient
}

// NewHandler returns a Handler that audits to auditURL when it is not empty.
func NewHandler(cat *catalog.Catalog, src sink.Source, auditURL string, l *log.Logger) *Handler {
	return &Handler{
		Catalog: cat,
		Source:  src,
		Fetcher: &pipeline.Fetcher{Client: &http.Client{Timeout: 10 * time.Second}},
		Log:     l,
		audit:   newAuditClient(auditURL),
	}
}

// ServeEntry writes the entry named by the name query parameter as JSON.
func (h *Handler) ServeEntry(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	defer h.audit.post("entry " + name) // HAZ defer-blocking-call
	e, ok := h.Catalog.Get(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(e)
}

// ServePayload streams the payload named by the name query parameter.
func (h *Handler) ServePayload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		if err := h.audit.postCtx(ctx, "payload "+name); err != nil {
			h.Log.Printf("audit: %v", err)
		}
	}()
	rc, err := h.Source.Open(name)
	if err != nil {
		http.Error(w, "payload not found", http.StatusNotFound)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = io.Copy(w, rc)
}

// ServeList writes all entry names as JSON.
func (h *Handler) ServeList(w http.ResponseWriter, r *http.Request) {
	go h.audit.post("list")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(h.Catalog.Names())
}

type lookupResult struct {
	body []byte
	err  error
}

// lookup is one forwarded request to the upstream archive.
type lookup struct {
	name  string
	reply chan lookupResult
}

// ServeRemote forwards an entry lookup to the upstream archive and caches
// the answer in the local catalog.
func (h *Handler) ServeRemote(w http.ResponseWriter, r *http.Request) {
	l := &lookup{name: r.URL.Query().Get("name"), reply: make(chan lookupResult, 1)}
	go func() {
		body, err := h.Fetcher.Fetch(r.Context(), h.Upstream+"/entry?name="+url.QueryEscape(l.name))
		l.reply <- lookupResult{body: body, err: err}
	}()
	select {
	case res := <-l.reply:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		var e catalog.Entry
		if err := json.Unmarshal(res.body, &e); err == nil && e.Name == l.name {
			h.Catalog.Put(e)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(res.body)
	case <-time.After(2 * time.Second):
		http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
	}
}

// healthCheck is one upstream reachability check.
type healthCheck struct {
	reply chan error
}

// ServeHealth reports whether the upstream archive answers within a second.
func (h *Handler) ServeHealth(w http.ResponseWriter, r *http.Request) {
	c := &healthCheck{reply: make(chan error)}
	go func() {
		_, err := h.Fetcher.Fetch(r.Context(), h.Upstream+"/entries")
		c.reply <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-c.reply:
		if err != nil {
			http.Error(w, "upstream: "+err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	case <-time.After(time.Second):
		http.Error(w, "upstream: no answer", http.StatusServiceUnavailable)
	}
}
