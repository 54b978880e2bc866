// Package httpapi serves the item API.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Item is one stored record.
type Item struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Tags  []string  `json:"tags,omitempty"`
	Saved time.Time `json:"saved"`
}

// Config is swapped atomically on reload.
type Config struct {
	AuditURL   string
	UploadDir  string
	MaxUpload  int64
	SearchWait time.Duration
}

type itemStore struct {
	mu    sync.RWMutex
	items map[string]Item
}

func (s *itemStore) get(id string) (Item, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[id]
	return it, ok
}

func (s *itemStore) put(it Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[it.ID] = it
}

func (s *itemStore) search(q string) []Item {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Item
	for _, it := range s.items {
		if strings.Contains(it.Name, q) || slices.Contains(it.Tags, q) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b Item) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Server holds the handlers and their dependencies.
type Server struct {
	mux    *http.ServeMux
	log    *slog.Logger
	store  *itemStore
	cfg    atomic.Pointer[Config]
	client *http.Client
	hooks  sync.Map // route pattern -> func(method string)
}

// New wires the routes.
func New(log *slog.Logger, cfg *Config) *Server {
	s := &Server{
		mux:    http.NewServeMux(),
		log:    log,
		store:  &itemStore{items: make(map[string]Item)},
		client: &http.Client{Timeout: 5 * time.Second},
	}
	s.cfg.Store(cfg)
	s.mux.HandleFunc("GET /items/{id}", s.getItem)
	s.mux.HandleFunc("PUT /items/{id}", s.putItem)
	s.mux.HandleFunc("POST /items/{id}", s.createItem)
	s.mux.HandleFunc("DELETE /items/{id}", s.deleteItem)
	s.mux.HandleFunc("DELETE /items/{id}/tags/{tag}", s.untag)
	s.mux.HandleFunc("POST /upload", s.upload)
	s.mux.HandleFunc("POST /import", s.importFile)
	s.mux.HandleFunc("GET /search", s.search)
	s.mux.HandleFunc("GET /lookup", s.lookup)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.Handle("GET /metrics", quiet(http.HandlerFunc(s.metrics)))
	return s
}

// Handler returns the mux wrapped in the standard middleware.
func (s *Server) Handler() http.Handler {
	return s.recoverer(timing(s.log, withLogging(s.log, s.protect(s.mux))))
}

// Reload swaps the configuration.
func (s *Server) Reload(cfg *Config) { s.cfg.Store(cfg) }

// OnRoute registers a hook called for every request to pattern.
func (s *Server) OnRoute(pattern string, fn func(method string)) { s.hooks.Store(pattern, fn) }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) {
	it, ok := s.store.get(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, it)
}

// audit posts an audit record and waits for the collector to answer.
func (s *Server) audit(ctx context.Context, action, id string) {
	body, _ := json.Marshal(map[string]string{"action": action, "id": id})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.Load().AuditURL, bytes.NewReader(body))
	if err != nil {
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Warn("audit", "err", err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}

func (s *Server) putItem(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.audit(r.Context(), "put", id) // HAZ defer-blocking-call
	var it Item
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&it); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	it.ID, it.Saved = id, time.Now()
	s.store.put(it)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) createItem(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// ok: the audit call runs in the background with its own deadline, the
	// response is not held
	defer func() {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 3*time.Second)
			defer cancel()
			s.audit(ctx, "create", id)
		}()
	}()
	var it Item
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&it); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	it.ID, it.Saved = id, time.Now()
	s.store.put(it)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.store.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.store.items[id]; !ok {
		http.NotFound(w, r)
		return
	}
	delete(s.store.items, id)
	s.store.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) untag(w http.ResponseWriter, r *http.Request) {
	id, tag := r.PathValue("id"), r.PathValue("tag")
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	it, ok := s.store.items[id]
	if !ok {
		http.NotFound(w, r)
		return
	}
	it.Tags = slices.DeleteFunc(it.Tags, func(t string) bool { return t == tag })
	s.store.items[id] = it
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	cfg := s.cfg.Load()
	r.Body = http.MaxBytesReader(w, r.Body, cfg.MaxUpload)
	file, hdr, err := r.FormFile("file")
	defer file.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.saveUpload(filepath.Join(cfg.UploadDir, filepath.Base(hdr.Filename)), file); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) importFile(w http.ResponseWriter, r *http.Request) {
	cfg := s.cfg.Load()
	r.Body = http.MaxBytesReader(w, r.Body, cfg.MaxUpload)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer file.Close() // ok: after the check
	var items []Item
	if err := json.NewDecoder(file).Decode(&items); err != nil {
		http.Error(w, fmt.Sprintf("%s: %v", hdr.Filename, err), http.StatusBadRequest)
		return
	}
	for _, it := range items {
		s.store.put(it)
	}
	w.WriteHeader(http.StatusNoContent)
}

// saveUpload copies src to path and reports write errors, including the one
// from Close.
func (s *Server) saveUpload(path string, src io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error is returned
	_, err = io.Copy(f, src)
	return err
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	ch := make(chan []Item)
	go func() { // HAZ goroutine-blocked-send
		ch <- s.store.search(q)
	}()
	select {
	case items := <-ch:
		writeJSON(w, items)
	case <-time.After(s.cfg.Load().SearchWait):
		http.Error(w, "search timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	ch := make(chan []Item, 1) // ok: room for the answer after we stop waiting
	go func() {
		ch <- s.store.search(q)
	}()
	select {
	case items := <-ch:
		writeJSON(w, items)
	case <-r.Context().Done():
		http.Error(w, "canceled", http.StatusServiceUnavailable)
	}
}

func (s *Server) metrics(w http.ResponseWriter, _ *http.Request) {
	s.store.mu.RLock()
	n := len(s.store.items)
	s.store.mu.RUnlock()
	fmt.Fprintf(w, "items %d\n", n)
}
