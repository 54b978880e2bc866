package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/up11/internal/cache"
)

// Server fronts an upstream item service with a cache.
type Server[T any] struct {
	client   *Client[T]
	cache    *cache.Cache[string, T]
	auditURL string
	auditHC  *http.Client
	budget   time.Duration
	log      *log.Logger
}

// ServerOption configures a Server.
type ServerOption[T any] func(*Server[T])

// WithAudit posts an audit record for every mutating request to url.
func WithAudit[T any](url string) ServerOption[T] {
	return func(s *Server[T]) { s.auditURL = url }
}

// WithBudget bounds how long a handler waits for the upstream.
func WithBudget[T any](d time.Duration) ServerOption[T] {
	return func(s *Server[T]) {
		if d > 0 {
			s.budget = d
		}
	}
}

// NewServer returns a server for client.
func NewServer[T any](client *Client[T], logger *log.Logger, opts ...ServerOption[T]) *Server[T] {
	s := &Server[T]{
		client:  client,
		cache:   cache.New[string, T](cache.WithCapacity[string, T](4096)),
		auditHC: &http.Client{},
		budget:  2 * time.Second,
		log:     logger,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Routes registers the handlers on mux.
func (s *Server[T]) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /items/{key}", s.ServeItem)
	mux.HandleFunc("GET /cached/{key}", s.ServeCached)
	mux.HandleFunc("DELETE /items/{key}", s.ServeDelete)
	mux.HandleFunc("POST /purge/{key}", s.ServePurge)
	mux.HandleFunc("POST /batch", s.ServeBatch)
	mux.HandleFunc("POST /refresh", s.ServeRefresh)
	mux.HandleFunc("POST /refresh-async", s.ServeRefreshAsync)
}

// ServeItem fetches one item from the upstream within the budget.
func (s *Server[T]) ServeItem(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	vals := make(chan T)
	errs := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		v, err := s.client.Fetch(r.Context(), "/items/"+key)
		if err != nil {
			errs <- err
			return
		}
		vals <- v
	}()
	select {
	case v := <-vals:
		s.cache.Set(key, v)
		writeJSON(w, http.StatusOK, v)
	case err := <-errs:
		http.Error(w, err.Error(), statusFor(err))
	case <-time.After(s.budget):
		http.Error(w, "upstream too slow", http.StatusGatewayTimeout)
	}
}

// ServeCached answers from the cache, falling back to the upstream. The
// result channel has room for the single sender.
func (s *Server[T]) ServeCached(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if v, ok := s.cache.Get(key); ok {
		writeJSON(w, http.StatusOK, v)
		return
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := s.client.Fetch(r.Context(), "/items/"+key)
		done <- result{v, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), statusFor(res.err))
			return
		}
		s.cache.Set(key, res.v)
		writeJSON(w, http.StatusOK, res.v)
	case <-time.After(s.budget):
		http.Error(w, "upstream too slow", http.StatusGatewayTimeout)
	}
}

// ServeDelete drops key from the cache and records the deletion.
func (s *Server[T]) ServeDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer s.recordAudit("delete", key) // HAZ defer-blocking-call
	if _, ok := s.cache.Get(key); !ok {
		http.Error(w, "not cached", http.StatusNotFound)
		return
	}
	s.cache.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

// ServePurge is ServeDelete with the audit call bounded by its own timeout.
func (s *Server[T]) ServePurge(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		s.recordAuditCtx(ctx, "purge", key)
	}()
	s.cache.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

// ServeBatch fetches several keys concurrently; every sender has a slot in
// the buffered channel, so an early timeout leaks nothing.
func (s *Server[T]) ServeBatch(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
		return
	}
	type item struct {
		key string
		v   T
		err error
	}
	out := make(chan item, len(keys))
	for _, k := range keys {
		go func() {
			v, err := s.client.Fetch(r.Context(), "/items/"+k)
			out <- item{k, v, err}
		}()
	}
	got := make(map[string]T, len(keys))
	deadline := time.After(s.budget)
	for range keys {
		select {
		case it := <-out:
			if it.err == nil {
				got[it.key] = it.v
			}
		case <-deadline:
			writeJSON(w, http.StatusPartialContent, got)
			return
		}
	}
	writeJSON(w, http.StatusOK, got)
}

// ServeRefresh re-fetches the posted keys in the background and answers
// with how many were queued.
func (s *Server[T]) ServeRefresh(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := s.client.Fetch(context.Background(), "/items/"+k); err == nil {
				s.cache.Set(k, v)
			}
		}()
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"queued": len(keys)})
}

// ServeRefreshAsync hands the refresh to a goroutine that outlives the
// request and answers at once.
func (s *Server[T]) ServeRefreshAsync(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
		return
	}
	go func() {
		for _, k := range keys {
			if v, err := s.client.Fetch(context.Background(), "/items/"+k); err == nil {
				s.cache.Set(k, v)
			}
		}
	}()
	writeJSON(w, http.StatusAccepted, map[string]int{"queued": len(keys)})
}

type auditRecord struct {
	Op  string    `json:"op"`
	Key string    `json:"key"`
	At  time.Time `json:"at"`
}

// recordAudit posts an audit record; the audit client has no timeout.
func (s *Server[T]) recordAudit(op, key string) {
	if s.auditURL == "" {
		return
	}
	body, _ := json.Marshal(auditRecord{Op: op, Key: key, At: time.Now()})
	resp, err := s.auditHC.Post(s.auditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		s.log.Printf("audit %s %s: %v", op, key, err)
		return
	}
	resp.Body.Close()
}

// recordAuditCtx is recordAudit bounded by ctx.
func (s *Server[T]) recordAuditCtx(ctx context.Context, op, key string) {
	if s.auditURL == "" {
		return
	}
	body, _ := json.Marshal(auditRecord{Op: op, Key: key, At: time.Now()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(body))
	if err != nil {
		s.log.Printf("audit %s %s: %v", op, key, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.auditHC.Do(req)
	if err != nil {
		s.log.Printf("audit %s %s: %v", op, key, err)
		return
	}
	resp.Body.Close()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// statusFor maps an error from any layer (FetchError wrapped by the caller
// or the context) to an HTTP status.
func statusFor(err error) int {
	var fe *FetchError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.As(err, &fe) && fe.Status == http.StatusNotFound:
		return http.StatusNotFound
	case errors.As(err, &fe):
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}
