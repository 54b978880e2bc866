package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/iotagent/internal/pubsub"
)

const pushTimeout = 5 * time.Second

// Gateway serves the device broker's HTTP API and firmware files.
type Gateway struct {
	broker   *pubsub.Broker
	reg      *Registry
	client   *http.Client // upstream event sink
	upstream string
	fwDir    string

	chunks chan chunkReq
	cache  sync.Map // device id -> summary
	onGone func(id string)
}

// New returns a gateway. upstream may be empty to disable event forwarding.
func New(b *pubsub.Broker, reg *Registry, upstream, fwDir string) *Gateway {
	return &Gateway{
		broker:   b,
		reg:      reg,
		client:   &http.Client{},
		upstream: upstream,
		fwDir:    fwDir,
		chunks:   make(chan chunkReq, 16),
	}
}

// Handler returns the HTTP API.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", g.handleStatus)
	mux.HandleFunc("GET /devices", g.handleDevices)
	mux.HandleFunc("GET /devices/{id}", g.handleDevice)
	mux.HandleFunc("POST /devices/{id}/push", g.handlePush)
	mux.HandleFunc("POST /devices/{id}/kick", g.handleKick)
	mux.HandleFunc("GET /firmware/{name}", g.handleFirmware)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("gateway: write response: %v", err)
	}
}

func (g *Gateway) handleStatus(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() {
		log.Printf("gateway: %s %s in %v", r.Method, r.URL.Path, time.Since(start))
	}()
	writeJSON(w, http.StatusOK, map[string]any{
		"sessions": g.broker.SessionCount(),
		"devices":  len(g.reg.List()),
	})
}

func (g *Gateway) handleDevices(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, g.reg.List())
}

func (g *Gateway) handleDevice(w http.ResponseWriter, r *http.Request) {
	d, ok := g.reg.Get(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handlePush publishes the request body on the device's command topic.
func (g *Gateway) handlePush(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	done := make(chan int)
	go func() {
		done <- g.broker.Publish("devices/"+id+"/cmd", body) // HAZ goroutine-blocked-send
	}()
	select {
	case n := <-done:
		writeJSON(w, http.StatusOK, map[string]int{"delivered": n})
	case <-r.Context().Done():
		return
	case <-time.After(pushTimeout):
		http.Error(w, "device did not take the message in time", http.StatusGatewayTimeout)
	}
}

// handleKick disconnects a device; the goodbye is sent in the background so the
// response is not held up by a slow device.
func (g *Gateway) handleKick(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	result := make(chan bool, 1)
	go func() { result <- g.broker.Evict(id) }()
	select {
	case ok := <-result:
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(pushTimeout):
		http.Error(w, "timed out", http.StatusGatewayTimeout)
	}
}

// handleFirmware serves a firmware image and reports the download upstream.
func (g *Gateway) handleFirmware(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	f, err := os.Open(filepath.Join(g.fwDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	defer g.notifyUpstream("firmware-download", name) // HAZ defer-blocking-call
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// notifyUpstream posts an event to the upstream collector.
func (g *Gateway) notifyUpstream(event, subject string) {
	if g.upstream == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"event": event, "subject": subject})
	if err != nil {
		return
	}
	resp, err := g.client.Post(g.upstream+"/events", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("gateway: upstream event %s: %v", event, err)
		return
	}
	resp.Body.Close()
}

// notifyUpstreamBounded is notifyUpstream with a deadline, for callers that
// cannot afford to wait on the collector.
func (g *Gateway) notifyUpstreamBounded(ctx context.Context, event, subject string) {
	if g.upstream == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	body, err := json.Marshal(map[string]string{"event": event, "subject": subject})
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.upstream+"/events", bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := g.client.Do(req)
	if err != nil {
		log.Printf("gateway: upstream event %s: %v", event, err)
		return
	}
	resp.Body.Close()
}
