// Package api exposes the item store over HTTP/JSON.
package api

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"example.com/websvc/internal/middleware"
	"example.com/websvc/internal/store"
)

// AuditEvent is emitted for every mutating request.
type AuditEvent struct {
	Action string
	ID     string
	At     time.Time
}

// Server holds the handlers' dependencies.
type Server struct {
	Store   *store.Store
	Metrics *middleware.Metrics
	Logger  *log.Logger
	// Audit receives audit events; a background consumer drains it.
	Audit chan AuditEvent
	// AvatarDir is where uploaded avatars are stored.
	AvatarDir string
}

// Routes registers the handlers on a new mux.
func (s *Server) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", s.handleGetItem)
	mux.HandleFunc("GET /items", s.handleListItems)
	mux.HandleFunc("PUT /items/{id}", s.handleUpdate)
	mux.HandleFunc("POST /items", s.handleCreate)
	mux.HandleFunc("DELETE /items/{id}", s.handleDelete)
	mux.HandleFunc("DELETE /items/{id}/soft", s.handleSoftDelete)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /suggest", s.handleSuggest)
	mux.HandleFunc("POST /warm", s.handleWarm)
	mux.HandleFunc("POST /warm/async", s.handleWarmAsync)
	mux.HandleFunc("POST /import", s.handleImport)
	mux.HandleFunc("POST /import/safe", s.handleImportSafe)
	mux.HandleFunc("POST /avatars/{id}", s.handleAvatar)
	mux.HandleFunc("GET /export.csv", s.handleExportCSV)
	mux.HandleFunc("POST /items/{id}/touch", s.handleTouch)
	mux.HandleFunc("GET /stats", s.handleStats)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The header is out; nothing useful left to tell the client.
		return
	}
}

func writeErr(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	default:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func queryInt(r *http.Request, name string, def, lo, hi int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || v < lo || v > hi {
		return def
	}
	return v
}

// StartAuditLog drains s.Audit into the logger until stop is closed.
func (s *Server) StartAuditLog(stop <-chan struct{}) {
	go func() {
		for {
			select {
			case ev := <-s.Audit:
				s.Logger.Printf("audit %s %s at %s", ev.Action, ev.ID, ev.At.Format(time.RFC3339))
			case <-stop:
				return
			}
		}
	}()
}

// emitAudit never blocks the caller: a full audit queue drops the event.
func (s *Server) emitAudit(ev AuditEvent) {
	select {
	case s.Audit <- ev:
	default:
		s.Logger.Printf("audit queue full, dropped %s %s", ev.Action, ev.ID)
	}
}

// observe logs the outcome of a mutation.
func (s *Server) observe(op string, err error) {
	if err != nil {
		s.Logger.Printf("%s failed: %v", op, err)
		return
	}
	s.Logger.Printf("%s ok", op)
}
