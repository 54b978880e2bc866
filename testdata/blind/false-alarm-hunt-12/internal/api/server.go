// Package api serves records over HTTP.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"example.com/fah12/internal/cache"
	"example.com/fah12/internal/store"
	"example.com/fah12/internal/trace"
)

// Server is the HTTP front end of a store.
type Server struct {
	st     *store.Store
	cache  *cache.Cache[string, store.Record]
	log    *slog.Logger
	audit  *AuditClient
	events chan string
}

// NewServer wires a Server. events is buffered; audit events are dropped when
// it is full.
func NewServer(st *store.Store, audit *AuditClient, log *slog.Logger) *Server {
	return &Server{
		st:     st,
		cache:  cache.New[string, store.Record](1024, time.Minute),
		log:    log,
		audit:  audit,
		events: make(chan string, 256),
	}
}

// Routes returns the handler with Go 1.22 method and wildcard patterns.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /records/{id}", s.handleGet)
	mux.HandleFunc("PUT /records/{id}", s.handlePut)
	mux.HandleFunc("DELETE /records/{id}", s.handleDelete)
	mux.HandleFunc("POST /records/{id}/touch", s.handleTouch)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /lookup", s.handleLookup)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	l := trace.WithOp(r.Context(), s.log, "get")
	defer trace.Track(l, "get "+id)()
	rec, err := s.cache.GetOrLoad(id, s.st.Load)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	var rec store.Record
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&rec); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec.ID = r.PathValue("id")
	rec.Updated = time.Now()
	if err := s.st.Save(rec); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.cache.Put(rec.ID, rec)
	defer s.enqueueAudit("put " + rec.ID)
	w.WriteHeader(http.StatusNoContent)
}

// enqueueAudit never blocks: a full queue drops the event.
func (s *Server) enqueueAudit(msg string) {
	select {
	case s.events <- msg:
	default:
		s.log.Warn("audit queue full, dropping", "msg", msg)
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.audit.Record(r.Context(), "delete "+id) // HAZ defer-blocking-call
	if err := s.st.Delete(id, "api"); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.cache.Delete(id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleTouch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.enqueueAudit("touch " + id)
	rec, err := s.st.Load(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	rec.Updated = time.Now()
	if err := s.st.Save(rec); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type searchResult struct {
	IDs []string `json:"ids"`
	Err error    `json:"-"`
}

func (s *Server) search(owner string) searchResult {
	ids, err := s.st.IDs()
	if err != nil {
		return searchResult{Err: err}
	}
	var out []string
	for _, id := range ids {
		if rec, err := s.st.Load(id); err == nil && strings.EqualFold(rec.Owner, owner) {
			out = append(out, id)
		}
	}
	return searchResult{IDs: out}
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	owner := r.URL.Query().Get("owner")
	done := make(chan searchResult)
	go func() { done <- s.search(owner) }() // HAZ goroutine-blocked-send
	select {
	case res := <-done:
		if res.Err != nil {
			http.Error(w, res.Err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, res)
	case <-ctx.Done():
		http.Error(w, "search timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	owner := r.URL.Query().Get("owner")
	done := make(chan searchResult, 1)
	go func() { done <- s.search(owner) }()
	select {
	case res := <-done:
		if res.Err != nil {
			http.Error(w, res.Err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, res)
	case <-ctx.Done():
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

// DrainAudit forwards queued audit events until ctx ends.
func (s *Server) DrainAudit(ctx context.Context) {
	for {
		select {
		case msg := <-s.events:
			s.audit.Record(ctx, msg)
		case <-ctx.Done():
			return
		}
	}
}

// AuditClient posts audit events to a collector.
type AuditClient struct {
	hc  *http.Client
	url string
}

// NewAuditClient returns a client for the collector at url.
func NewAuditClient(url string) *AuditClient {
	return &AuditClient{hc: &http.Client{Timeout: 10 * time.Second}, url: url}
}

// Record posts one event; failures are ignored by design.
func (a *AuditClient) Record(ctx context.Context, msg string) {
	_ = a.post(ctx, msg)
}

func (a *AuditClient) post(ctx context.Context, msg string) error {
	body, err := json.Marshal(map[string]string{"event": msg, "at": time.Now().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
