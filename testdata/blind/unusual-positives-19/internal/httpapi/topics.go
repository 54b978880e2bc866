package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"example.com/up19/internal/catalog"
)

// handleTopics lists the catalog.
func (a *API) handleTopics() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, a.cat.List())
	}
}

// handleUpsert registers or updates a topic and audits the change. The audit
// hand-off gives up after a short wait, so a stalled audit consumer never
// holds a response.
func (a *API) handleUpsert() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		entry := AuditEntry{Op: "upsert", Topic: r.PathValue("topic"), Remote: r.RemoteAddr, At: time.Now()}
		defer func() {
			select {
			case a.audit <- entry:
			case <-time.After(50 * time.Millisecond):
				a.log.Printf("audit backlog: dropped %s %s", entry.Op, entry.Topic)
			}
		}()
		var t catalog.Topic
		if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&t); err != nil {
			entry.Err = err.Error()
			http.Error(w, "bad topic: "+err.Error(), http.StatusBadRequest)
			return
		}
		t.Name = entry.Topic
		a.cat.Put(t)
		writeJSON(w, http.StatusOK, t)
	}
}

// handleDelete removes a topic and audits the removal.
func (a *API) handleDelete() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		entry := AuditEntry{Op: "delete", Topic: r.PathValue("topic"), Remote: r.RemoteAddr, At: time.Now()}
		defer func() { // HAZ defer-blocking-call
			a.audit <- entry
		}()
		force := r.URL.Query().Get("force") == "1"
		err := a.cat.Remove(entry.Topic, force)
		switch {
		case errors.Is(err, catalog.ErrNotFound):
			entry.Err = err.Error()
			http.Error(w, err.Error(), http.StatusNotFound)
		case err != nil:
			entry.Err = err.Error()
			http.Error(w, err.Error(), http.StatusConflict)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}
