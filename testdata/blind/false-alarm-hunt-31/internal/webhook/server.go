// Package webhook serves the operator's small HTTP API: health, object
// lookup, manual triggers and validation.
package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/workqueue"
)

// Notification tells the audit consumer that someone triggered a key.
type Notification struct {
	Key string
	At  time.Time
}

// Validator checks an object.
type Validator func(ctx context.Context, obj *api.Object) error

// Server holds the handlers' dependencies.
type Server struct {
	store         *cache.Store
	queue         *workqueue.Queue
	notifications chan Notification // consumed by the audit goroutine
	validate      Validator

	mu   sync.Mutex
	hits map[string]int
}

// NewServer wires the handlers; notifications is read by the audit logger.
func NewServer(store *cache.Store, q *workqueue.Queue, notifications chan Notification, v Validator) *Server {
	return &Server{store: store, queue: q, notifications: notifications, validate: v, hits: make(map[string]int)}
}

// Routes returns the handler tree.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /objects/{ns}/{name}", s.handleGet)
	mux.HandleFunc("POST /trigger/{ns}/{name}", s.handleTrigger)
	mux.HandleFunc("POST /resync/{ns}/{name}", s.handleResync)
	mux.HandleFunc("POST /validate", s.handleValidate)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("POST /validate/strict", s.handleValidateStrict)
	mux.HandleFunc("POST /dryrun", s.handleDryRun)
	mux.HandleFunc("POST /diff", s.handleDiff)
	return mux
}

func (s *Server) countHit(route string) {
	s.mu.Lock()
	s.hits[route]++
	s.mu.Unlock()
}

func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	s.countHit("healthz")
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	s.countHit("get")
	key := r.PathValue("ns") + "/" + r.PathValue("name")
	obj, ok := s.store.Get(key)
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(obj); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// notify hands a notification to the audit goroutine.
func (s *Server) notify(key string) {
	s.notifications <- Notification{Key: key, At: time.Now()}
}

// tryNotify drops the notification when the audit goroutine is behind.
func (s *Server) tryNotify(key string) bool {
	select {
	case s.notifications <- Notification{Key: key, At: time.Now()}:
		return true
	default:
		return false
	}
}

// handleTrigger queues a key for reconciliation and audits the request.
func (s *Server) handleTrigger(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("ns") + "/" + r.PathValue("name")
	defer s.notify(key) // HAZ defer-blocking-call
	if _, ok := s.store.Get(key); !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	s.queue.Add(key)
	w.WriteHeader(http.StatusAccepted)
}

// handleResync is handleTrigger with a non-blocking audit.
func (s *Server) handleResync(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("ns") + "/" + r.PathValue("name")
	defer s.tryNotify(key)
	s.countHit("resync")
	if _, ok := s.store.Get(key); !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	s.queue.Forget(key)
	s.queue.Add(key)
	w.WriteHeader(http.StatusAccepted)
}

// handleValidate runs the validator with the request's deadline. The result
// channel is buffered, so a validator that finishes after the client went
// away can still deliver and exit.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request) {
	s.countHit("validate")
	var obj api.Object
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&obj); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	result := make(chan error, 1)
	go func() { result <- s.validate(ctx, &obj) }()
	select {
	case err := <-result:
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-ctx.Done():
		http.Error(w, "validation timed out", http.StatusGatewayTimeout)
	}
}

// handleStats writes the hit counters under the mutex.
func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.hits); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Audit consumes notifications until ctx ends, calling log for each.
func Audit(ctx context.Context, ch <-chan Notification, log func(Notification)) {
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-ch:
			log(n)
		}
	}
}

// Serve runs srv until ctx is cancelled and then shuts it down with a
// bounded timeout.
func Serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
