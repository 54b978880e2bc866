// Package api holds the relay's public HTTP handlers.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"example.com/fah22/internal/cache"
	"example.com/fah22/internal/httpx"
	"example.com/fah22/internal/sessions"
	"example.com/fah22/internal/trace"
	"example.com/fah22/internal/upstream"
)

var errUnauthenticated = errors.New("login required")

// Item is a catalogue entry.
type Item struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Price   float64   `json:"price"`
	Updated time.Time `json:"updated"`
}

// Pricer quotes a price for a symbol.
type Pricer interface {
	Quote(ctx context.Context, sym string) (float64, error)
}

// AuditEntry records one mutating request.
type AuditEntry struct {
	Action    string    `json:"action"`
	Item      string    `json:"item"`
	User      string    `json:"user"`
	RequestID string    `json:"request_id"`
	Status    int       `json:"status"`
	At        time.Time `json:"at"`
}

// Deps are the handlers' collaborators.
type Deps struct {
	Cache      *cache.Cache
	Upstream   *upstream.Client
	Sessions   *sessions.Store
	Pricing    Pricer
	Backup     Pricer
	Recorder   *trace.Recorder
	Log        *log.Logger
	Timeout    time.Duration
	HedgeAfter time.Duration
}

// Handlers serves the public API.
type Handlers struct {
	d       Deps
	audit   chan AuditEntry
	dropped atomic.Int64
}

// NewHandlers returns handlers with a 256-entry audit buffer.
func NewHandlers(d Deps) *Handlers {
	if d.Timeout <= 0 {
		d.Timeout = 2 * time.Second
	}
	if d.HedgeAfter <= 0 {
		d.HedgeAfter = d.Timeout / 4
	}
	return &Handlers{d: d, audit: make(chan AuditEntry, 256)}
}

// Audit is drained by an AuditLog.
func (h *Handlers) Audit() <-chan AuditEntry {
	return h.audit
}

// Routes returns the API mux wrapped in the standard middleware.
func (h *Handlers) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", h.ListItems)
	mux.HandleFunc("GET /items/{id}", h.GetItem)
	mux.HandleFunc("PUT /items/{id}", h.PutItem)
	mux.HandleFunc("DELETE /items/{id}", h.DeleteItem)
	mux.HandleFunc("GET /quote/{sym}", h.Quote)
	mux.HandleFunc("GET /quote/{sym}/hedged", h.HedgedQuote)
	mux.HandleFunc("POST /login", h.Login)

	var hd http.Handler = mux
	hd = httpx.Metrics(h.d.Recorder, hd)
	hd = httpx.AccessLog(h.d.Log, hd)
	hd = httpx.RequestID(hd)
	return httpx.Recover(h.d.Log, hd)
}

// GetItem serves one item from the cache or the backend.
func (h *Handlers) GetItem(w http.ResponseWriter, r *http.Request) {
	defer h.d.Recorder.Start("api.get_item")()
	id := r.PathValue("id")
	if b, ok := h.d.Cache.Get("item:" + id); ok {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()
	var it Item
	if err := h.d.Upstream.GetJSON(ctx, "/items/"+url.PathEscape(id), &it); err != nil {
		var se *upstream.StatusError
		if errors.As(err, &se) && se.Code == http.StatusNotFound {
			httpx.WriteError(w, http.StatusNotFound, fmt.Errorf("no item %q", id))
			return
		}
		httpx.WriteError(w, http.StatusBadGateway, err)
		return
	}
	b, err := json.Marshal(it)
	if err != nil {
		httpx.WriteError(w, http.StatusInternalServerError, err)
		return
	}
	h.d.Cache.Set("item:"+id, b)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// ListItems proxies the listing, passing the query string through.
func (h *Handlers) ListItems(w http.ResponseWriter, r *http.Request) {
	defer h.d.Recorder.Start("api.list_items") // HAZ defer-func-result-not-called
	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()
	var items []Item
	if err := h.d.Upstream.GetJSON(ctx, "/items?"+r.URL.RawQuery, &items); err != nil {
		httpx.WriteError(w, http.StatusBadGateway, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, items)
}

// PutItem replaces an item and audits the outcome.
func (h *Handlers) PutItem(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(r)
	if !ok {
		httpx.WriteError(w, http.StatusUnauthorized, errUnauthenticated)
		return
	}
	entry := AuditEntry{Action: "put", Item: r.PathValue("id"), User: user,
		RequestID: httpx.RequestIDFrom(r.Context()), At: time.Now()}
	defer func() { h.recordAudit(entry) }()

	var it Item
	if err := h.decodeJSON(w, r, &it); err != nil {
		entry.Status = http.StatusBadRequest
		httpx.WriteError(w, entry.Status, err)
		return
	}
	it.ID = entry.Item
	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()
	if err := h.d.Upstream.Send(ctx, http.MethodPut, "/items/"+url.PathEscape(it.ID), it); err != nil {
		entry.Status = http.StatusBadGateway
		httpx.WriteError(w, entry.Status, err)
		return
	}
	h.d.Cache.Delete("item:" + it.ID)
	entry.Status = http.StatusOK
	httpx.WriteJSON(w, entry.Status, it)
}

// DeleteItem deletes an item and audits the outcome.
func (h *Handlers) DeleteItem(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(r)
	if !ok {
		httpx.WriteError(w, http.StatusUnauthorized, errUnauthenticated)
		return
	}
	entry := AuditEntry{Action: "delete", Item: r.PathValue("id"), User: user,
		RequestID: httpx.RequestIDFrom(r.Context()), At: time.Now()}
	defer func() { h.audit <- entry }() // HAZ defer-blocking-call

	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()
	if err := h.d.Upstream.Send(ctx, http.MethodDelete, "/items/"+url.PathEscape(entry.Item), nil); err != nil {
		entry.Status = http.StatusBadGateway
		httpx.WriteError(w, entry.Status, err)
		return
	}
	h.d.Cache.Delete("item:" + entry.Item)
	entry.Status = http.StatusNoContent
	w.WriteHeader(entry.Status)
}

// recordAudit queues e for the audit log without ever blocking the request.
func (h *Handlers) recordAudit(e AuditEntry) {
	select {
	case h.audit <- e:
	default:
		if n := h.dropped.Add(1); n%100 == 1 {
			h.d.Log.Printf("api: audit buffer full, %d entries dropped so far", n)
		}
	}
}

// decodeJSON decodes a size-limited JSON request body into v.
func (h *Handlers) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	defer r.Body.Close()
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad request body: %w", err)
	}
	return nil
}

// user returns the logged-in user of r, refreshing the session.
func (h *Handlers) user(r *http.Request) (string, bool) {
	c, err := r.Cookie("sid")
	if err != nil {
		return "", false
	}
	if err := h.d.Sessions.Refresh(c.Value, time.Now()); err != nil {
		return "", false
	}
	s, ok := h.d.Sessions.Lookup(c.Value)
	return s.User, ok
}

// Login starts a session. Token checking is done by the auth proxy in
// front of the relay; here only the user name is taken.
func (h *Handlers) Login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		User string `json:"user"`
	}
	if err := h.decodeJSON(w, r, &req); err != nil {
		httpx.WriteError(w, http.StatusBadRequest, err)
		return
	}
	if req.User == "" {
		httpx.WriteError(w, http.StatusBadRequest, errors.New("missing user"))
		return
	}
	s := h.d.Sessions.Create(req.User)
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: s.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"user": s.User})
}
