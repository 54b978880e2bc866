package api

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"example.com/websvc/internal/store"
)

func (s *Server) handleGetItem(w http.ResponseWriter, r *http.Request) {
	defer s.Metrics.Track("get_item")() // ok: the cleanup func is called at exit
	it, err := s.Store.Get(r.PathValue("id"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

type pageResponse struct {
	Items []store.Item `json:"items"`
	Next  string       `json:"next,omitempty"`
}

func (s *Server) handleListItems(w http.ResponseWriter, r *http.Request) {
	defer s.Metrics.Track("list_items") // HAZ defer-func-result-not-called
	limit := queryInt(r, "limit", 50, 1, 500)
	items, next := s.Store.Page(r.URL.Query().Get("cursor"), limit)
	writeJSON(w, http.StatusOK, pageResponse{Items: items, Next: next})
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	var err error
	defer s.observe("update", err) // HAZ defer-eager-evaluation
	var it store.Item
	if err = json.NewDecoder(r.Body).Decode(&it); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	it.ID = r.PathValue("id")
	if err = s.Store.Put(it); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	var err error
	defer func() { s.observe("create", err) }() // ok: err is read when the closure runs
	var it store.Item
	if err = json.NewDecoder(r.Body).Decode(&it); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if err = s.Store.Put(it); err != nil {
		writeErr(w, err)
		return
	}
	s.emitAudit(AuditEvent{Action: "create", ID: it.ID, At: time.Now()})
	writeJSON(w, http.StatusCreated, it)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer func() { s.Audit <- AuditEvent{Action: "delete", ID: id, At: time.Now()} }() // HAZ defer-blocking-call
	if err := s.Store.Delete(id); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSoftDelete(w http.ResponseWriter, r *http.Request) {
	ev := AuditEvent{Action: "soft-delete", ID: r.PathValue("id"), At: time.Now()}
	defer s.emitAudit(ev) // ok: emitAudit selects with default; ev is not changed afterwards
	id := ev.ID
	if err := s.Store.Delete(id); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(r.Body).Decode(&ids); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Store.Warm(id)
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleWarmAsync(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(r.Body).Decode(&ids); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: deferred, runs on every path
			s.Store.Warm(id)
		}()
	}
	go func() {
		wg.Wait() // ok: waited for off the request path
		s.Logger.Printf("warmed %d items", len(ids))
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"store":    s.Store.Summary(),
		"inflight": s.Metrics.Inflight(),
		"mean_ms":  s.Metrics.Mean().Milliseconds(),
	})
}
