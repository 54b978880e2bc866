package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/fah11/internal/kv"
)

const (
	maxValueSize = 1 << 20
	maxBatch     = 256
)

// Journal makes writes durable before they are applied.
type Journal interface {
	Append(key string, value []byte) (uint64, error)
}

// Resolver looks up host names; *net.Resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// API serves the key/value store.
type API struct {
	store    *kv.Store
	journal  Journal
	resolver Resolver
	audit    chan<- AuditEntry
	dropped  atomic.Int64
	logger   *log.Logger

	resolveTimeout time.Duration
	deps           map[string]func(context.Context) error

	peers      []string
	peerClient *http.Client
}

// peerHeader marks requests sent by another kvd node.
const peerHeader = "X-Kvd-Peer"

// NewAPI returns an API over store. journal and resolver may be nil.
func NewAPI(store *kv.Store, journal Journal, audit chan<- AuditEntry, resolver Resolver, logger *log.Logger) *API {
	return &API{
		store:          store,
		journal:        journal,
		resolver:       resolver,
		audit:          audit,
		logger:         logger,
		resolveTimeout: 2 * time.Second,
		deps:           make(map[string]func(context.Context) error),
	}
}

// SetPeers configures the other nodes that receive cache invalidations.
func (a *API) SetPeers(peers []string, timeout time.Duration) {
	a.peers = append([]string(nil), peers...)
	a.peerClient = &http.Client{Timeout: timeout}
}

// AddDependency registers a health check run by /healthz.
func (a *API) AddDependency(name string, check func(context.Context) error) {
	a.deps[name] = check
}

// Routes returns the API's handler, wrapped in the standard middleware.
func (a *API) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/kv/{key}", a.handleGet)
	mux.HandleFunc("PUT /v1/kv/{key}", a.handlePut)
	mux.HandleFunc("DELETE /v1/kv/{key}", a.handleDelete)
	mux.HandleFunc("POST /v1/invalidate/{key}", a.handleInvalidate)
	mux.HandleFunc("POST /v1/batch", a.handleBatch)
	mux.HandleFunc("GET /v1/resolve", a.handleResolve)
	mux.HandleFunc("GET /healthz", a.handleHealth)
	return Recover(a.logger, AccessLog(a.logger, mux))
}

func (a *API) handleGet(w http.ResponseWriter, r *http.Request) {
	v, ver, err := a.store.Get(r.PathValue("key"))
	if errors.Is(err, kv.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Version", formatVersion(ver))
	_, _ = w.Write(v)
}

func (a *API) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	entry := AuditEntry{Op: "put", Key: key, Remote: r.RemoteAddr, Status: http.StatusOK}
	defer func() { a.audit <- entry }() // HAZ defer-blocking-call

	body, err := io.ReadAll(io.LimitReader(r.Body, maxValueSize))
	if err != nil {
		entry.Status = http.StatusBadRequest
		http.Error(w, err.Error(), entry.Status)
		return
	}
	if a.journal != nil {
		if _, err := a.journal.Append(key, body); err != nil {
			entry.Status = http.StatusServiceUnavailable
			http.Error(w, "journal unavailable", entry.Status)
			return
		}
	}
	ver, err := a.store.Put(key, body)
	if err != nil {
		entry.Status = http.StatusServiceUnavailable
		http.Error(w, err.Error(), entry.Status)
		return
	}
	entry.Version = ver
	w.Header().Set("X-Version", formatVersion(ver))
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer a.recordAudit(AuditEntry{Op: "delete", Key: key, Remote: r.RemoteAddr})

	if !a.store.Delete(key) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleInvalidate drops key locally and, for client requests, tells the
// peers to drop their copies too.
func (a *API) handleInvalidate(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if r.Header.Get(peerHeader) == "" {
		defer a.notifyPeers(key) // HAZ defer-blocking-call
	}
	a.store.Delete(key)
	w.WriteHeader(http.StatusAccepted)
}

// notifyPeers forwards an invalidation to every peer, logging failures.
func (a *API) notifyPeers(key string) {
	for _, peer := range a.peers {
		req, err := http.NewRequest(http.MethodPost, peer+"/v1/invalidate/"+url.PathEscape(key), nil)
		if err != nil {
			a.logger.Printf("invalidate %s on %s: %v", key, peer, err)
			continue
		}
		req.Header.Set(peerHeader, "1")
		resp, err := a.peerClient.Do(req)
		if err != nil {
			a.logger.Printf("invalidate %s on %s: %v", key, peer, err)
			continue
		}
		_ = resp.Body.Close()
	}
}

// recordAudit queues e without ever blocking the request: when the
// audit writer falls behind, entries are counted and dropped.
func (a *API) recordAudit(e AuditEntry) {
	select {
	case a.audit <- e:
	default:
		a.dropped.Add(1)
	}
}

func (a *API) handleBatch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Keys []string `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, maxValueSize)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(req.Keys) > maxBatch {
		http.Error(w, "too many keys", http.StatusBadRequest)
		return
	}

	type item struct {
		key   string
		value []byte
		found bool
	}
	results := make(chan item, len(req.Keys)) // one slot per sender
	for _, k := range req.Keys {
		go func() {
			v, _, err := a.store.Get(k)
			results <- item{key: k, value: v, found: err == nil}
		}()
	}

	out := make(map[string]string, len(req.Keys))
	for range req.Keys {
		select {
		case it := <-results:
			if it.found {
				out[it.key] = string(it.value)
			}
		case <-r.Context().Done():
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) handleResolve(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" || a.resolver == nil {
		http.Error(w, "missing name", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.resolveTimeout)
	defer cancel()

	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result)
	go func() {
		addrs, err := a.resolver.LookupHost(ctx, name)
		ch <- result{addrs, err} // HAZ goroutine-blocked-send
	}()

	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, res.addrs)
	case <-ctx.Done():
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

func (a *API) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()

	failed := a.checkDeps(ctx)
	if len(failed) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, failed)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// checkDeps runs every dependency check concurrently and returns the
// failures. Checks still running when ctx expires are reported as
// timed out; their results land in the buffered channel and are dropped.
func (a *API) checkDeps(ctx context.Context) map[string]string {
	type depResult struct {
		name string
		err  error
	}
	results := make(chan depResult, len(a.deps))
	for name, check := range a.deps {
		go func() {
			results <- depResult{name: name, err: check(ctx)}
		}()
	}

	failed := make(map[string]string)
	pending := make(map[string]bool, len(a.deps))
	for name := range a.deps {
		pending[name] = true
	}
	for range a.deps {
		select {
		case res := <-results:
			delete(pending, res.name)
			if res.err != nil {
				failed[res.name] = res.err.Error()
			}
		case <-ctx.Done():
			for name := range pending {
				failed[name] = "timed out"
			}
			return failed
		}
	}
	return failed
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func formatVersion(v uint64) string {
	return strconv.FormatUint(v, 10)
}
