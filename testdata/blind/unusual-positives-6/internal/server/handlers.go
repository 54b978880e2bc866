package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/up6/internal/export"
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	v, ok := s.cache.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(v)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer func() { s.events <- Event{Kind: "put", Key: key, At: time.Now()} }() // HAZ defer-blocking-call
	s.cache.Put(key, body)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	ev := Event{Kind: "delete", Key: key, At: time.Now()}
	defer s.emit(ev)
	if !s.cache.Evict(key) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// render builds the plain-text report for query q.
func (s *Server) render(q string) []byte {
	var b strings.Builder
	for _, rt := range s.reg.List() {
		if q == "" || strings.Contains(rt.Name, q) {
			fmt.Fprintf(&b, "%-32s %-40s %d\n", rt.Name, rt.Backend, rt.Weight)
		}
	}
	return []byte(b.String())
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	out := make(chan []byte)
	go func() { out <- s.render(q) }() // HAZ goroutine-blocked-send
	select {
	case body := <-out:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	case <-r.Context().Done():
		return
	case <-time.After(2 * time.Second):
		http.Error(w, "report timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	out := make(chan map[string][]string, 1)
	go func() { out <- s.reg.Backends() }()
	select {
	case b := <-out:
		writeJSON(w, b)
	case <-time.After(2 * time.Second):
		http.Error(w, "summary timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	defer s.tr.Start("export") // HAZ defer-func-result-not-called
	routes := s.reg.List()
	entries := make([]export.Entry, 0, len(routes))
	for _, rt := range routes {
		entries = append(entries, export.Entry{Name: rt.Name + ".json", Body: rt.encode()})
	}
	w.Header().Set("Content-Type", "application/gzip")
	if err := export.WriteBundle(w, entries); err != nil {
		s.log.Printf("export: %v", err)
	}
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	defer s.tr.Start("import")()
	var routes []Route
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&routes); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, map[string]uint64{"version": s.reg.Replace(routes)})
}

// checkBackends reports how many backends are alive; it fails when none is.
func (s *Server) checkBackends(ctx context.Context) (int, error) {
	alive := 0
	for _, b := range s.backends {
		if b.Alive(ctx, "/healthz") {
			alive++
		}
	}
	if alive == 0 && len(s.backends) > 0 {
		return 0, errors.New("no backend is alive")
	}
	return alive, nil
}

// Status is the body of /v1/status.
type Status struct {
	Routes   int   `json:"routes"`
	Backends int   `json:"backends_alive"`
	Dropped  int64 `json:"events_dropped"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	sp := s.tr.Begin("status")
	var err error
	defer sp.Finish(err) // HAZ defer-eager-evaluation
	st := Status{Routes: s.reg.Len(), Dropped: s.dropped.Load()}
	st.Backends, err = s.checkBackends(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, st)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	sp := s.tr.Begin("health")
	var err error
	defer func() { sp.Finish(err) }()
	if _, err = s.checkBackends(r.Context()); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ok\n")
}

// pruneSpool removes spooled uploads older than a day.
func (s *Server) pruneSpool() {
	cutoff := time.Now().Add(-24 * time.Hour)
	filepath.WalkDir(s.spool, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(path)
		}
		return nil
	})
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	defer s.pruneSpool() // HAZ defer-blocking-call
	if err := os.MkdirAll(s.spool, 0o755); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	f, err := os.CreateTemp(s.spool, name+".*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, err = io.Copy(f, io.LimitReader(r.Body, 64<<20))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// panicError turns the panic being handled into an error.
func panicError() error {
	if r := recover(); r != nil { // HAZ recover-ineffective
		return fmt.Errorf("panic: %v", r)
	}
	return nil
}

// Import replaces the routes with the JSON array in data.
func (s *Server) Import(data []byte) (err error) {
	defer func() {
		if perr := panicError(); perr != nil {
			err = perr
		}
	}()
	var routes []Route
	if err := json.Unmarshal(data, &routes); err != nil {
		return err
	}
	for _, rt := range routes {
		if rt.Weight < 0 {
			panic(fmt.Sprintf("route %s: negative weight", rt.Name))
		}
	}
	s.reg.Reload(routes)
	return nil
}
