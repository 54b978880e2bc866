// Package httpapi exposes the blob store and cache over HTTP.
package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"example.com/modernapis/internal/cache"
	"example.com/modernapis/internal/fsstore"
)

// Change is published after every successful write.
type Change struct {
	Key  string
	Size int
	At   time.Time
}

// Server holds the HTTP handlers' dependencies.
type Server struct {
	store    *fsstore.Store
	cache    *cache.LRU[string, []byte]
	upstream string
	client   *http.Client
	changes  chan Change
	log      *slog.Logger
	bg       sync.WaitGroup
	search   func(ctx context.Context, q string) ([]string, error)
}

// New returns a server. Changes are delivered on an unbuffered channel to
// a single consumer started by Run.
func New(store *fsstore.Store, upstream string, log *slog.Logger) *Server {
	return &Server{
		store:    store,
		cache:    cache.NewLRU[string, []byte](4096, nil),
		upstream: upstream,
		client:   &http.Client{Timeout: 5 * time.Second},
		changes:  make(chan Change),
		log:      log,
	}
}

// Routes returns the handler tree.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{key}", s.handleGet)
	mux.HandleFunc("PUT /blobs/{key}", s.handlePut)
	mux.HandleFunc("PUT /blobs/{key}/async", s.handlePutAsync)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /search/bounded", s.handleSearchBounded)
	mux.HandleFunc("GET /proxy/{path...}", s.handleProxy)
	mux.HandleFunc("GET /proxy2/{path...}", s.handleProxyChecked)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return s.recoverMiddleware(mux)
}

func (s *Server) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Run consumes changes until ctx ends.
func (s *Server) Run(ctx context.Context, apply func(Change)) {
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-s.changes:
			apply(c)
		}
	}
}

// publish hands c to the change consumer.
func (s *Server) publish(c Change) {
	s.changes <- c
}

// tryPublish hands c to the consumer if it is ready, else drops it.
func (s *Server) tryPublish(c Change) bool {
	select {
	case s.changes <- c:
		return true
	default:
		s.log.Warn("change dropped", "key", c.Key)
		return false
	}
}

// Shutdown stops srv gracefully within d and waits for background work.
func (s *Server) Shutdown(srv *http.Server, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	err := srv.Shutdown(ctx)
	done := make(chan struct{})
	go func() {
		s.bg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.Join(err, context.Cause(ctx))
	}
	return err
}
