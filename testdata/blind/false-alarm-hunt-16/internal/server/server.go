// Package server exposes the relay's state over HTTP.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.com/fah16/internal/state"
)

// Event is published after a mutating request.
type Event struct {
	Kind   string
	Source string
	At     time.Time
}

// Server serves the relay's HTTP API.
type Server struct {
	store    *state.Store
	health   *state.Health
	client   *http.Client
	auditURL string
	log      *log.Logger
	mux      *http.ServeMux
	events   chan Event
	hooks    []func(string)
}

// New wires the routes. auditURL may be empty to disable auditing.
func New(store *state.Store, health *state.Health, auditURL string, logger *log.Logger) *Server {
	s := &Server{
		store:    store,
		health:   health,
		client:   &http.Client{Transport: http.DefaultTransport},
		auditURL: auditURL,
		log:      logger,
		mux:      http.NewServeMux(),
		events:   make(chan Event, 256),
	}
	s.mux.HandleFunc("GET /sources", s.handleSources)
	s.mux.HandleFunc("POST /sources/{name}/advance", s.handleAdvance)
	s.mux.HandleFunc("POST /sources/{name}/reset", s.handleReset)
	s.mux.HandleFunc("POST /sources/{name}/touch", s.handleTouch)
	s.mux.HandleFunc("POST /drain", s.handleDrain)
	s.mux.HandleFunc("GET /probe", s.handleProbe)
	s.mux.HandleFunc("GET /probe/all", s.handleProbeAll)
	return s
}

// Events returns the channel on which events are published. Events are
// dropped when nobody keeps up.
func (s *Server) Events() <-chan Event { return s.events }

// AddHook registers a function called with the source name after every
// advance. It must be called before serving.
func (s *Server) AddHook(fn func(source string)) { s.hooks = append(s.hooks, fn) }

// ServeHTTP turns handler panics into 500s.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, rec)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("server: encoding response: %v", err)
	}
}

func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.store.Snapshot())
}

func (s *Server) handleAdvance(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	name := r.PathValue("name")
	raw, err := io.ReadAll(io.LimitReader(r.Body, 64))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	off, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil {
		http.Error(w, "offset must be an integer", http.StatusBadRequest)
		return
	}
	if err := s.store.Advance(name, off, time.Now()); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	s.fireHooks(name)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	defer s.audit(r.Context(), "reset", name) // HAZ defer-blocking-call
	if !s.store.Forget(name) {
		http.Error(w, "unknown source", http.StatusNotFound)
		return
	}
	s.store.Register(name)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDrain(w http.ResponseWriter, r *http.Request) {
	names := r.URL.Query()["source"]
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		s.audit(ctx, "drain", strings.Join(names, ","))
	}()
	drained := 0
	for _, name := range names {
		if s.store.Forget(name) {
			drained++
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"drained": drained})
}

func (s *Server) handleTouch(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ev := Event{Kind: "touch", Source: name, At: time.Now()}
	defer s.emit(ev)
	if !s.store.Touch(name, ev.At) {
		http.Error(w, "unknown source", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// emit publishes ev without ever blocking the caller.
func (s *Server) emit(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.log.Printf("event %s/%s dropped: subscriber too slow", ev.Kind, ev.Source)
	}
}

// audit posts an audit record. It is best effort: failures are logged.
func (s *Server) audit(ctx context.Context, action, subject string) {
	if s.auditURL == "" {
		return
	}
	body := fmt.Sprintf(`{"action":%q,"subject":%q}`, action, subject)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewBufferString(body))
	if err != nil {
		s.log.Printf("audit: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Printf("audit: %v", err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.log.Printf("audit: %s", resp.Status)
	}
}
