package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/up13/internal/catalog"
	"example.com/up13/internal/trace"
)

// Handler serves asset metadata over HTTP.
type Handler struct {
	fetch    *Fetcher
	cache    *catalog.Cache
	rec      *trace.Recorder
	statsURL string
	inflight sync.WaitGroup
	mux      *http.ServeMux
}

// NewHandler wires the routes.
func NewHandler(f *Fetcher, cache *catalog.Cache, rec *trace.Recorder, statsURL string) *Handler {
	h := &Handler{fetch: f, cache: cache, rec: rec, statsURL: statsURL, mux: http.NewServeMux()}
	h.mux.HandleFunc("/assets/", h.handleAsset)
	h.mux.HandleFunc("/refresh", h.handleRefresh)
	h.mux.HandleFunc("/stats", h.handleStats)
	h.mux.HandleFunc("/healthz", h.handleHealth)
	h.mux.HandleFunc("/thumb/", h.handleThumb)
	h.mux.HandleFunc("/preview/", h.handlePreview)
	h.mux.HandleFunc("/preview-fast/", h.handlePreviewFast)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// handleAsset returns the metadata of one asset, from the cache if fresh.
func (h *Handler) handleAsset(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/assets/")
	defer h.reportHit(id) // HAZ defer-blocking-call
	a, err := h.cache.GetOrLoad(id, func(key string) (catalog.Asset, error) {
		m, err := h.fetch.FirstMirror(r.Context(), key)
		if err != nil {
			return catalog.Asset{}, err
		}
		return catalog.Asset{ID: m.ID, Meta: map[string]string{"mime": m.Mime, "owner": m.Owner, "license": m.License}}, nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(a); err != nil {
		log.Printf("fetch: encode %s: %v", id, err)
	}
}

// reportHit tells the stats collector that id was served.
func (h *Handler) reportHit(id string) {
	resp, err := h.fetch.client.Post(h.statsURL, "text/plain", strings.NewReader(id))
	if err != nil {
		log.Printf("fetch: report hit %s: %v", id, err)
		return
	}
	resp.Body.Close()
}

// handleRefresh refreshes the listed assets in the background.
func (h *Handler) handleRefresh(w http.ResponseWriter, r *http.Request) {
	wait := h.inflight.Wait
	defer wait() // HAZ defer-blocking-call
	ids := r.URL.Query()["id"]
	for _, id := range ids {
		h.inflight.Add(1)
		go func() {
			defer h.inflight.Done()
			h.refresh(context.WithoutCancel(r.Context()), id)
		}()
	}
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "refreshing %d assets\n", len(ids))
}

// refresh reloads one asset into the cache, bounded by a timeout.
func (h *Handler) refresh(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	m, err := h.fetch.FirstMirror(ctx, id)
	if err != nil {
		log.Printf("fetch: refresh %s: %v", id, err)
		return
	}
	h.cache.Store(id, catalog.Asset{ID: m.ID, Meta: map[string]string{"mime": m.Mime, "owner": m.Owner, "license": m.License}})
}

// handleStats writes the span summary; its own duration is observed by a
// deferred closure, which reads the clock at exit.
func (h *Handler) handleStats(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { h.rec.Observe("http.stats", time.Since(start)) }()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, t := range h.rec.Summary() {
		fmt.Fprintf(w, "%-24s %6d %s\n", t.Name, t.Count, t.Sum)
	}
}

// handleHealth answers liveness probes.
func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	if len(h.fetch.mirrors) == 0 {
		http.Error(w, "no mirrors", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// handleThumb serves the cached thumbnail and regenerates it afterwards.
func (h *Handler) handleThumb(w http.ResponseWriter, r *http.Request) {
	id := filepath.Base(r.URL.Path)
	a, ok := h.cache.Peek(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	thumb := filepath.Join("/var/cache/thumbs", id+".jpg")
	regen := exec.Command("thumbnailer", "-o", thumb, a.Path)
	defer regen.Run() // HAZ defer-blocking-call
	http.ServeFile(w, r, thumb)
}

// render produces a preview of the asset at path.
func render(path string) []byte {
	out, err := exec.Command("previewer", "-w", "320", path).Output()
	if err != nil {
		return nil
	}
	return out
}

// handlePreview renders a preview, giving up after two seconds.
func (h *Handler) handlePreview(w http.ResponseWriter, r *http.Request) {
	a, ok := h.cache.Peek(filepath.Base(r.URL.Path))
	if !ok {
		http.NotFound(w, r)
		return
	}
	done := make(chan []byte)
	go func() {
		done <- render(a.Path) // HAZ goroutine-blocked-send
	}()
	select {
	case img := <-done:
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(img)
	case <-time.After(2 * time.Second):
		http.Error(w, "preview timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// handlePreviewFast is handlePreview with a one-slot channel, so the
// renderer can always deliver and exit after the handler gave up.
func (h *Handler) handlePreviewFast(w http.ResponseWriter, r *http.Request) {
	a, ok := h.cache.Peek(filepath.Base(r.URL.Path))
	if !ok {
		http.NotFound(w, r)
		return
	}
	done := make(chan []byte, 1)
	go func() {
		done <- render(a.Path)
	}()
	select {
	case img := <-done:
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(img)
	case <-time.After(2 * time.Second):
		http.Error(w, "preview timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}
