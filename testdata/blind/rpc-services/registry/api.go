package registry

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// API serves the registry over HTTP.
type API struct {
	reg   *Registry
	log   *slog.Logger
	hc    *http.Client
	peers []string
}

// NewAPI returns the HTTP API of reg. Peers are the other replicas.
func NewAPI(reg *Registry, log *slog.Logger, peers ...string) *API {
	return &API{reg: reg, log: log, hc: &http.Client{Timeout: 10 * time.Second}, peers: peers}
}

// Routes returns the API mux.
func (a *API) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/instances", a.handleRegister)
	mux.HandleFunc("DELETE /v1/instances/{service}/{id}", a.handleDeregister)
	mux.HandleFunc("PUT /v1/instances/{service}/{id}/heartbeat", a.handleHeartbeat)
	mux.HandleFunc("GET /v1/services", a.handleServices)
	mux.HandleFunc("GET /v1/services/{service}", a.handleLookup)
	mux.HandleFunc("GET /v1/events/{service}", a.handleEvents)
	mux.HandleFunc("GET /v1/snapshot", a.handleSnapshot)
	return mux
}

func (a *API) handleRegister(w http.ResponseWriter, r *http.Request) {
	var inst Instance
	if err := readJSON(w, r, &inst); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.reg.Register(inst); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	writeJSON(w, http.StatusCreated, inst)
}

func (a *API) handleDeregister(w http.ResponseWriter, r *http.Request) {
	service, id := r.PathValue("service"), r.PathValue("id")
	if r.URL.Query().Get("replica") == "" {
		defer a.notifyPeers(r.Context(), service, id) // HAZ defer-blocking-call
	}
	if !a.reg.Deregister(service, id) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// notifyPeers tells the other replicas to drop the instance too.
func (a *API) notifyPeers(ctx context.Context, service, id string) {
	for _, peer := range a.peers {
		target := peer + "/v1/instances/" + url.PathEscape(service) + "/" + url.PathEscape(id) + "?replica=1"
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, target, nil)
		if err != nil {
			a.log.Warn("notify peer", "peer", peer, "err", err)
			continue
		}
		resp, err := a.hc.Do(req)
		if err != nil {
			a.log.Warn("notify peer", "peer", peer, "err", err)
			continue
		}
		resp.Body.Close()
	}
}

func (a *API) handleHeartbeat(w http.ResponseWriter, r *http.Request) {
	if err := a.reg.Heartbeat(r.PathValue("service"), r.PathValue("id")); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleServices(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, a.reg.Services())
}

func (a *API) handleLookup(w http.ResponseWriter, r *http.Request) {
	insts := a.reg.Lookup(r.PathValue("service"))
	if len(insts) == 0 {
		http.Error(w, "no instances", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, insts)
}

// handleEvents streams changes as JSON lines until the client goes away;
// Watch closes the channel when the request context ends.
func (a *API) handleEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	events := a.reg.Watch(r.Context(), r.PathValue("service"))
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	fl.Flush()
	enc := json.NewEncoder(w)
	for ev := range events {
		if err := enc.Encode(ev); err != nil {
			return
		}
		fl.Flush()
	}
}

func (a *API) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	snap := a.reg.TakeSnapshot()
	w.Header().Set("Content-Type", "application/json")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		if err := WriteSnapshotGzip(w, snap); err != nil {
			a.log.Warn("write snapshot", "err", err)
		}
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
