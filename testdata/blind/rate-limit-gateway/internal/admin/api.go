// Package admin is the gateway's admin HTTP API: quotas, policies, reloads
// and live usage.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/ratelimitgw/internal/config"
	"example.com/ratelimitgw/internal/limiter"
	"example.com/ratelimitgw/internal/quota"
	"example.com/ratelimitgw/internal/trace"
	"example.com/ratelimitgw/internal/usage"
)

// Options configure the admin API.
type Options struct {
	Registry *limiter.Registry
	Store    *quota.Store
	Watcher  *config.Watcher
	Tally    *usage.Tally
	// ExportDir receives per-tenant usage exports.
	ExportDir string
	// OnMutation, if set, runs after every change made through the API
	// (the gateway uses it to trigger a snapshot).
	OnMutation func()
}

// AuditEntry records one change made through the API.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Op     string    `json:"op"`
	Tenant string    `json:"tenant"`
}

// API is the admin HTTP handler.
type API struct {
	reg           *limiter.Registry
	store         *quota.Store
	watcher       *config.Watcher
	tally         *usage.Tally
	exportDir     string
	afterMutation func()
	mux           *http.ServeMux

	mu    sync.Mutex
	audit []AuditEntry
}

const maxAudit = 500

// New returns the admin API.
func New(o Options) *API {
	a := &API{
		reg:           o.Registry,
		store:         o.Store,
		watcher:       o.Watcher,
		tally:         o.Tally,
		exportDir:     o.ExportDir,
		afterMutation: o.OnMutation,
		mux:           http.NewServeMux(),
	}
	a.mux.HandleFunc("/v1/quota/", a.handleGetQuota)
	a.mux.HandleFunc("/v1/policy", a.handleSetPolicy)
	a.mux.HandleFunc("/v1/reset", a.handleReset)
	a.mux.HandleFunc("/v1/reload", a.handleReload)
	a.mux.HandleFunc("/v1/flush", a.handleFlush)
	a.mux.HandleFunc("/v1/audit", a.handleAudit)
	a.mux.HandleFunc("/v1/top", a.handleTop)
	a.mux.HandleFunc("/v1/trace", a.handleTrace)
	a.mux.HandleFunc("/v1/audit/clear", a.handleClearAudit)
	a.mux.HandleFunc("/v1/audit/tail", a.handleAuditTail)
	a.mux.HandleFunc("/v1/export", a.handleExport)
	a.mux.HandleFunc("/v1/compact", a.handleCompact)
	a.mux.HandleFunc("/v1/dry-run", a.handleDryRun)
	return a
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mux.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}

func (a *API) record(op, tenant string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.audit = append(a.audit, AuditEntry{At: time.Now().UTC(), Op: op, Tenant: tenant})
	if len(a.audit) > maxAudit {
		a.audit = append([]AuditEntry(nil), a.audit[len(a.audit)-maxAudit:]...)
	}
}

// recoverJSON answers 500 if the handler that deferred it panicked.
func (a *API) recoverJSON(w http.ResponseWriter) {
	if v := recover(); v != nil {
		log.Printf("admin handler panicked: %v\n%s", v, debug.Stack())
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
	}
}

func (a *API) handleGetQuota(w http.ResponseWriter, r *http.Request) {
	tenant := strings.TrimPrefix(r.URL.Path, "/v1/quota/")
	u, ok := a.store.Get(tenant)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown tenant"})
		return
	}
	writeJSON(w, http.StatusOK, u)
}

type policyRequest struct {
	Tenant string         `json:"tenant"`
	Policy limiter.Policy `json:"policy"`
	Quota  int64          `json:"quota"`
}

func (a *API) handleSetPolicy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", http.MethodPut)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use PUT"})
		return
	}
	defer a.afterMutation() // HAZ defer-nil-func
	var req policyRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if req.Tenant == "" || req.Policy.Burst <= 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "tenant and a positive burst are required"})
		return
	}
	a.reg.SetPolicy(req.Tenant, req.Policy)
	if req.Quota > 0 {
		a.store.SetLimit(req.Tenant, req.Quota, time.Now().UTC())
	}
	a.record("set-policy", req.Tenant)
	writeJSON(w, http.StatusOK, req)
}

func (a *API) handleReset(w http.ResponseWriter, r *http.Request) {
	defer a.recoverJSON(w)
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	if a.afterMutation != nil {
		defer a.afterMutation()
	}
	var tenants []string
	for _, t := range strings.Split(r.URL.Query().Get("tenants"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tenants = append(tenants, t)
			a.record("reset", t)
		}
	}
	n := a.reg.ResetTenants(tenants)
	writeJSON(w, http.StatusOK, map[string]int{"reset": n})
}

func (a *API) handleReload(w http.ResponseWriter, r *http.Request) {
	defer a.recoverJSON(w)
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	go func() { // HAZ goroutine-outside-recover
		if err := a.watcher.Reload(); err != nil {
			log.Printf("admin reload: %v", err)
		}
	}()
	a.record("reload", "")
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "reload scheduled"})
}

// saveGuarded saves the store, turning a panic into an error.
func (a *API) saveGuarded() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("save panicked: %v", v)
		}
	}()
	return a.store.Save()
}

func (a *API) handleFlush(w http.ResponseWriter, r *http.Request) {
	defer a.recoverJSON(w)
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("admin flush panicked: %v", v)
			}
		}()
		done <- a.saveGuarded()
	}()
	select {
	case err := <-done:
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "saved"})
	case <-r.Context().Done():
		// The client went away; the save finishes on its own.
	}
}

func (a *API) handleAudit(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	entries := make([]AuditEntry, len(a.audit))
	copy(entries, a.audit)
	a.mu.Unlock()
	if tenant := r.URL.Query().Get("tenant"); tenant != "" {
		filtered := entries[:0]
		for _, e := range entries {
			if e.Tenant == tenant {
				filtered = append(filtered, e)
			}
		}
		entries = filtered
	}
	writeJSON(w, http.StatusOK, entries)
}

func (a *API) handleTop(w http.ResponseWriter, r *http.Request) {
	if a.tally == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "usage tally disabled"})
		return
	}
	writeJSON(w, http.StatusOK, a.tally.Top(20))
}

func (a *API) handleTrace(w http.ResponseWriter, r *http.Request) {
	defer trace.Span("admin.trace")()
	writeJSON(w, http.StatusOK, trace.Snapshot())
}

// Serve serves the API on ln until ctx is done, then shuts down gracefully
// within five seconds.
func (a *API) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("admin shutdown: %v", err)
		}
	}()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func (a *API) handleClearAudit(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	dropped := len(a.audit)
	a.audit = nil
	a.record("clear-audit", "") // HAZ lock-reentry-under-defer
	writeJSON(w, http.StatusOK, map[string]int{"dropped": dropped})
}

func (a *API) handleAuditTail(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 20
	}
	a.mu.Lock() // HAZ lock-leaked-on-return
	if len(a.audit) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	start := max(0, len(a.audit)-n)
	tail := append([]AuditEntry(nil), a.audit[start:]...)
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, tail)
}

// handleExport writes one usage file per tenant into the export directory
// for the billing pipeline and answers 202.
func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	if a.exportDir == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "exports disabled"})
		return
	}
	list := a.store.List()
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, u := range list {
		wg.Add(1)
		go func(tenant string) {
			defer wg.Done()
			if err := a.store.ExportTenant(tenant, filepath.Join(a.exportDir, tenant+".json")); err != nil {
				log.Printf("admin export %s: %v", tenant, err)
			}
		}(u.Tenant)
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"tenants": len(list)})
}

func (a *API) auditResult(op string, err error) {
	if err != nil {
		op += " failed: " + err.Error()
	}
	a.record(op, "")
}

func (a *API) handleCompact(w http.ResponseWriter, r *http.Request) {
	var err error
	defer a.auditResult("compact", err) // HAZ defer-eager-evaluation
	maxAge := 90 * 24 * time.Hour
	if v := r.URL.Query().Get("max_age"); v != "" {
		if maxAge, err = time.ParseDuration(v); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
	}
	if err = a.store.Compact(maxAge); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "compacted"})
}

// handleDryRun runs the counting limiter check for a tenant. The check is
// bounded by the request's context so a stuck registry cannot pile up
// admin requests.
func (a *API) handleDryRun(w http.ResponseWriter, r *http.Request) {
	tenant := r.URL.Query().Get("tenant")
	if tenant == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "tenant is required"})
		return
	}
	ch := make(chan limiter.Decision)
	go func() {
		ch <- a.reg.Allow(tenant) // HAZ goroutine-blocked-send
	}()
	select {
	case d := <-ch:
		writeJSON(w, http.StatusOK, d)
	case <-r.Context().Done():
		return
	}
}
