// Package admin is the feature store's operator HTTP API: inspect and evict
// cached values, register schemas, start backfills, reload and compact.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"example.com/featurestore/internal/backfill"
	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/schema"
)

// Deps are the admin API's collaborators. Optional ones may be nil; their
// endpoints then answer 501.
type Deps struct {
	Store   *cache.Store
	Schemas *schema.Registry
	Metrics *metrics.Registry
	Runner  *backfill.Runner
	Load    func(ctx context.Context, key string) ([]byte, int64, error)
	Reload  func() error
	Compact func(keep int) (int, error)
	Health  func(ctx context.Context) error
	OnEvict func(key string) // fan-out to peers
	Webhook string           // optional: operator actions are POSTed here
	Promote func(run string) error
}

// JobStatus is a backfill job as seen by the API.
type JobStatus struct {
	ID       string    `json:"id"`
	Feature  string    `json:"feature"`
	State    string    `json:"state"`
	Err      string    `json:"error,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
}

// Admin serves the API.
type Admin struct {
	d Deps

	mu   sync.Mutex
	jobs map[string]*JobStatus
}

// New returns an Admin over d.
func New(d Deps) *Admin {
	return &Admin{d: d, jobs: make(map[string]*JobStatus)}
}

// Routes returns the API's handler, wrapped in the panic recoverer.
func (a *Admin) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/features/{key...}", a.handleGetFeature)
	mux.HandleFunc("DELETE /v1/features/{key...}", a.handleEvict)
	mux.HandleFunc("POST /v1/warm", a.handleWarm)
	mux.HandleFunc("GET /v1/schemas/{name}", a.handleSchema)
	mux.HandleFunc("POST /v1/schemas", a.handleRegisterSchema)
	mux.HandleFunc("POST /v1/backfill", a.handleBackfill)
	mux.HandleFunc("GET /v1/jobs", a.handleJobs)
	mux.HandleFunc("GET /v1/jobs/{id}", a.handleJob)
	mux.HandleFunc("POST /v1/jobs/{id}/cancel", a.handleCancelJob)
	mux.HandleFunc("POST /v1/jobs/abort", a.handleAbortJobs)
	mux.HandleFunc("DELETE /v1/jobs", a.handleForget)
	mux.HandleFunc("POST /v1/views/{view}/rebuild", a.handleRebuildView)
	mux.HandleFunc("POST /v1/refresh", a.handleRefresh)
	mux.HandleFunc("POST /v1/runs/{run}/promote", a.handlePromote)
	mux.HandleFunc("POST /v1/reload", a.handleReload)
	mux.HandleFunc("POST /v1/compact", a.handleCompact)
	mux.HandleFunc("GET /healthz", a.handleHealth)
	if a.d.Metrics != nil {
		mux.Handle("GET /metrics", a.d.Metrics)
	}
	return Recoverer(mux)
}

// Recoverer turns a handler panic into a logged 500.
func Recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				log.Printf("admin: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}

func (a *Admin) handleGetFeature(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	v, ok := a.d.Store.Get(key)
	if !ok {
		http.Error(w, "not cached", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"key": key, "value": v})
}

// recoverJSON is deferred by handlers that want a JSON error body instead of
// the Recoverer's plain-text one.
func (a *Admin) recoverJSON(w http.ResponseWriter) {
	if rec := recover(); rec != nil {
		log.Printf("admin: panic: %v\n%s", rec, debug.Stack())
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
	}
}

func (a *Admin) handleEvict(w http.ResponseWriter, r *http.Request) {
	defer a.recoverJSON(w)
	key := r.PathValue("key")
	if !a.d.Store.Delete(key) {
		http.Error(w, "not cached", http.StatusNotFound)
		return
	}
	if a.d.OnEvict != nil {
		go func() {
			defer func() {
				if rec := recover(); rec != nil {
					log.Printf("admin: evict fan-out for %q panicked: %v", key, rec)
				}
			}()
			a.d.OnEvict(key)
		}()
	}
	w.WriteHeader(http.StatusNoContent)
}

type warmRequest struct {
	Keys []string `json:"keys"`
}

func (a *Admin) handleWarm(w http.ResponseWriter, r *http.Request) {
	var req warmRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	type warmResult struct {
		loaded int
		err    error
	}
	ch := make(chan warmResult)
	go func() {
		n, err := a.warm(r.Context(), req.Keys)
		ch <- warmResult{n, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"loaded": res.loaded})
	case <-time.After(2 * time.Second):
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "still warming"})
	}
}

// warm loads keys that are not cached yet and returns how many it loaded.
func (a *Admin) warm(ctx context.Context, keys []string) (int, error) {
	if a.d.Load == nil {
		return 0, errors.New("admin: no loader configured")
	}
	n := 0
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if _, ok := a.d.Store.Get(k); ok {
			continue
		}
		v, version, err := a.d.Load(ctx, k)
		if err != nil {
			return n, err
		}
		a.d.Store.Put(k, v, version)
		n++
	}
	return n, nil
}

func (a *Admin) handleHealth(w http.ResponseWriter, r *http.Request) {
	if a.d.Health == nil {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.d.Health(ctx) }()
	select {
	case err := <-errc:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case <-ctx.Done():
		http.Error(w, "health check timed out", http.StatusServiceUnavailable)
	}
}

func (a *Admin) handleReload(w http.ResponseWriter, r *http.Request) {
	if a.d.Reload == nil {
		http.Error(w, "reload not supported", http.StatusNotImplemented)
		return
	}
	defer func() {
		if rec := recover(); rec != nil { // HAZ recover-swallows-panic
			// the snapshot watcher retries the reload on its next tick
		}
	}()
	if err := a.d.Reload(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reloaded"})
}

// logPanic records a panic in a maintenance endpoint.
func (a *Admin) logPanic(route string) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		log.Printf("admin: %s panicked: %v", route, rec)
		if a.d.Metrics != nil {
			a.d.Metrics.Inc("admin.panics", 1)
		}
	}
}

func (a *Admin) handleCompact(w http.ResponseWriter, r *http.Request) {
	defer func() { a.logPanic("compact") }()
	if a.d.Compact == nil {
		http.Error(w, "compaction not supported", http.StatusNotImplemented)
		return
	}
	keep, err := strconv.Atoi(r.URL.Query().Get("keep"))
	if err != nil || keep < 1 {
		http.Error(w, "keep must be a positive integer", http.StatusBadRequest)
		return
	}
	removed, err := a.d.Compact(keep)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"removed": removed})
}

func (a *Admin) handleJobs(w http.ResponseWriter, _ *http.Request) {
	a.mu.Lock()
	out := make([]JobStatus, 0, len(a.jobs))
	for _, st := range a.jobs {
		out = append(out, *st)
	}
	a.mu.Unlock()
	slices.SortFunc(out, func(x, y JobStatus) int { return x.Started.Compare(y.Started) })
	writeJSON(w, http.StatusOK, out)
}
