package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// auditTimeout bounds the time a handler spends recording an audit event.
const auditTimeout = 300 * time.Millisecond

// A Backend stores values for the lookup endpoints.
type Backend interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// An Admin serves the administrative HTTP endpoints next to the RPC
// server and records every administrative action with an audit service.
type Admin struct {
	Server   *Server
	Backend  Backend
	AuditURL string
	Client   *http.Client
	Reload   func(ctx context.Context) error
}

// audit posts one audit event.
func (a *Admin) audit(ctx context.Context, op, who string) {
	body, err := json.Marshal(map[string]string{"op": op, "who": who, "at": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.AuditURL, bytes.NewReader(body))
	if err != nil {
		a.Server.logf("jsonrpc: audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.Client.Do(req)
	if err != nil {
		a.Server.logf("jsonrpc: audit %s: %v", op, err)
		return
	}
	resp.Body.Close()
}

// ServeMethods lists the registered methods.
func (a *Admin) ServeMethods(w http.ResponseWriter, r *http.Request) {
	defer a.audit(r.Context(), "methods", r.RemoteAddr) // HAZ defer-blocking-call
	writeJSON(w, a.Server.Methods())
}

// ServeReload reloads the configuration.
func (a *Admin) ServeReload(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
		defer cancel()
		a.audit(ctx, "reload", r.RemoteAddr)
	}()
	if a.Reload == nil {
		http.Error(w, "reload not supported", http.StatusNotImplemented)
		return
	}
	if err := a.Reload(r.Context()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type lookupResult struct {
	val []byte
	err error
}

// ServeLookup returns the value stored under ?key=, giving up as soon as
// the client goes away.
func (a *Admin) ServeLookup(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	ch := make(chan lookupResult)
	go func() {
		v, err := a.Backend.Get(r.Context(), key)
		ch <- lookupResult{v, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		writeLookup(w, res)
	case <-r.Context().Done():
		http.Error(w, "client went away", http.StatusServiceUnavailable)
	}
}

// ServeGet is ServeLookup with a server-side deadline.
func (a *Admin) ServeGet(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), a.Server.timeout)
	defer cancel()
	key := r.URL.Query().Get("key")
	ch := make(chan lookupResult, 1)
	go func() {
		v, err := a.Backend.Get(ctx, key)
		ch <- lookupResult{v, err}
	}()
	select {
	case res := <-ch:
		writeLookup(w, res)
	case <-ctx.Done():
		http.Error(w, ctx.Err().Error(), http.StatusGatewayTimeout)
	}
}

// writeLookup writes the outcome of a lookup.
func writeLookup(w http.ResponseWriter, res lookupResult) {
	switch {
	case errors.Is(res.err, context.Canceled), errors.Is(res.err, context.DeadlineExceeded):
		http.Error(w, res.err.Error(), http.StatusGatewayTimeout)
	case res.err != nil:
		http.Error(w, res.err.Error(), http.StatusBadGateway)
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(res.val)
	}
}
