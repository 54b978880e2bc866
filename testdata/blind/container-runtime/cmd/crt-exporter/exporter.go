package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/registry"
	"example.com/crt/internal/state"
)

// exporter serves cgroup metrics of the node's containers in the
// Prometheus text format, plus a small JSON API used by the node agent.
type exporter struct {
	store     *state.Store
	cg        *cgroup.Manager
	client    *http.Client
	auditURL  string
	cachePath string
	log       *log.Logger

	mu    sync.RWMutex
	cache map[string]cgroup.Stats
	at    time.Time
}

func newExporter(store *state.Store, cg *cgroup.Manager, auditURL, cachePath string, l *log.Logger) *exporter {
	e := &exporter{
		store:     store,
		cg:        cg,
		client:    &http.Client{},
		auditURL:  auditURL,
		cachePath: cachePath,
		log:       l,
		cache:     make(map[string]cgroup.Stats),
	}
	var cached map[string]cgroup.Stats
	if err := state.ReadJSON(cachePath, &cached); err == nil {
		e.cache = cached
	}
	return e
}

func (e *exporter) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", e.handleMetrics)
	mux.HandleFunc("GET /v1/containers", e.handleContainers)
	mux.HandleFunc("GET /v1/containers/{id}/stats", e.handleContainerStats)
	mux.HandleFunc("GET /v1/containers/{id}/state", e.handleContainerState)
	mux.HandleFunc("POST /v1/refresh", e.handleRefresh)
	mux.HandleFunc("GET /v1/status", e.handleStatus)
	return mux
}

// handleMetrics renders the cached samples; it never touches cgroupfs.
func (e *exporter) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	e.mu.RLock()
	ids := make([]string, 0, len(e.cache))
	for id := range e.cache {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var buf bytes.Buffer
	for _, id := range ids {
		st := e.cache[id]
		fmt.Fprintf(&buf, "crt_memory_bytes{id=%q} %d\n", id, st.MemoryCurrent)
		fmt.Fprintf(&buf, "crt_pids{id=%q} %d\n", id, st.PidsCurrent)
		fmt.Fprintf(&buf, "crt_cpu_usage_usec_total{id=%q} %d\n", id, st.CPUUsageUsec)
	}
	e.mu.RUnlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	w.Write(buf.Bytes())
}

// handleContainers lists the containers known on disk.
func (e *exporter) handleContainers(w http.ResponseWriter, r *http.Request) {
	defer e.auditAccess(r) // HAZ defer-blocking-call
	ids, err := e.store.IDs()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ids)
}

// auditAccess reports an API access to the node's audit collector.
func (e *exporter) auditAccess(r *http.Request) {
	if e.auditURL == "" {
		return
	}
	body, _ := json.Marshal(map[string]string{
		"path":   r.URL.Path,
		"remote": r.RemoteAddr,
		"agent":  r.UserAgent(),
	})
	resp, err := e.client.Post(e.auditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		e.log.Printf("audit: %v", err)
		return
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
}

type statsResult struct {
	st  cgroup.Stats
	err error
}

// handleContainerStats samples one container's cgroup live.
func (e *exporter) handleContainerStats(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res := make(chan statsResult)
	go func() {
		st, err := e.cg.Stats(id)
		res <- statsResult{st, err} // HAZ goroutine-blocked-send
	}()
	select {
	case out := <-res:
		if out.err != nil {
			http.Error(w, out.err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out.st)
	case <-r.Context().Done():
	}
}

// handleContainerState reads a container's persisted state, bounded by a
// deadline because the state directory may sit on a slow disk.
func (e *exporter) handleContainerState(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	type result struct {
		st  registry.State
		err error
	}
	res := make(chan result, 1)
	go func() {
		var st registry.State
		err := e.store.Load(id, &st)
		res <- result{st, err}
	}()
	select {
	case out := <-res:
		if out.err != nil {
			http.Error(w, out.err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out.st)
	case <-ctx.Done():
		http.Error(w, "state read timed out", http.StatusGatewayTimeout)
	}
}

// cacheAge reports how old the cached samples are.
func (e *exporter) cacheAge() time.Duration {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return time.Since(e.at)
}

// status summarises the cache for the node agent.
func (e *exporter) status() map[string]any {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return map[string]any{
		"containers": len(e.cache),
		"age":        e.cacheAge().String(), // HAZ lock-reentry-under-defer
	}
}

func (e *exporter) handleStatus(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(e.status())
}

// refresh samples every container and replaces the cache.
func (e *exporter) refresh() error {
	ids, err := e.store.IDs()
	if err != nil {
		return err
	}
	samples := e.cg.CollectAllWait(ids)
	fresh := make(map[string]cgroup.Stats, len(samples))
	for _, st := range samples {
		fresh[st.ID] = st
	}
	e.mu.Lock()
	e.cache, e.at = fresh, time.Now()
	e.mu.Unlock()
	return nil
}

// safeRefresh runs one refresh; a panic (a malformed cgroup file tripping
// a parser bug) must not stop the exporter.
func (e *exporter) safeRefresh() error {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep serving the previous samples
		}
	}()
	return e.refresh()
}

// handleRefresh refreshes the cache on demand. Each call is held for a
// second so that a misbehaving agent cannot hammer cgroupfs.
func (e *exporter) handleRefresh(w http.ResponseWriter, _ *http.Request) {
	defer time.Sleep(time.Second) // HAZ defer-blocking-call
	if err := e.safeRefresh(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// recoverLog is deferred by code that must survive a panic.
func (e *exporter) recoverLog(what string) {
	if r := recover(); r != nil {
		e.log.Printf("%s: panic: %v", what, r)
	}
}

// warmup samples every container once at startup, concurrently, so that
// the first scrape is not empty.
func (e *exporter) warmup(ids []string) {
	defer e.recoverLog("warmup")
	for _, id := range ids {
		go func() { // HAZ goroutine-outside-recover
			st, err := e.cg.Stats(id)
			if err != nil {
				return
			}
			e.mu.Lock()
			e.cache[id] = st
			e.mu.Unlock()
		}()
	}
}

// refreshLoop refreshes (and persists) the cache every interval until ctx
// is done. Each round runs in its own function so that its deferred timing
// log runs at the end of the round.
func (e *exporter) refreshLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		func() {
			start := time.Now()
			defer func() { e.log.Printf("refresh took %s", time.Since(start)) }()
			if err := e.safeRefresh(); err != nil {
				e.log.Printf("refresh: %v", err)
				return
			}
			if err := e.saveCache(); err != nil {
				e.log.Printf("save cache: %v", err)
			}
		}()
	}
}

// saveCache persists the last samples so that a restarted exporter can
// serve metrics before its first refresh.
func (e *exporter) saveCache() error {
	e.mu.RLock()
	snapshot := make(map[string]cgroup.Stats, len(e.cache))
	for id, st := range e.cache {
		snapshot[id] = st
	}
	e.mu.RUnlock()
	return state.WriteJSONAtomic(e.cachePath, snapshot, 0o644)
}
