// Package server is the HTTP and line-protocol front end of the edge daemon.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up12/internal/cache"
	"example.com/up12/internal/registry"
)

// Server ties the cache and the registry to the network.
type Server struct {
	log      *log.Logger
	cache    *cache.Store
	reg      *registry.Registry
	client   *http.Client
	upstream string
	dial     func(ctx context.Context) (net.Conn, error)

	sem      chan struct{}
	flushReq chan struct{}
	onDone   func()
	undo     map[string]func()
	lastSync atomic.Int64
	panics   atomic.Int64

	panicOnce sync.Once
	mu        sync.Mutex
	handled   map[string]int
}

// Option configures a Server.
type Option func(*Server)

// WithConnHook installs fn to run after every line-protocol connection.
func WithConnHook(fn func()) Option {
	return func(s *Server) { s.onDone = fn }
}

// WithUpstream sets the URL that flushes are posted to.
func WithUpstream(u string) Option {
	return func(s *Server) { s.upstream = u }
}

// New returns a Server.
func New(logger *log.Logger, c *cache.Store, reg *registry.Registry, opts ...Option) *Server {
	s := &Server{
		log:      logger,
		cache:    c,
		reg:      reg,
		client:   &http.Client{Timeout: 10 * time.Second},
		sem:      make(chan struct{}, 8),
		flushReq: make(chan struct{}),
		handled:  make(map[string]int),
	}
	var d net.Dialer
	s.dial = func(ctx context.Context) (net.Conn, error) {
		return d.DialContext(ctx, "tcp", s.upstream)
	}
	s.undo = map[string]func(){
		"flush": func() { s.log.Printf("undo flush: nothing to do") },
		"purge": func() { s.log.Printf("undo purge: cache starts cold") },
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Serve serves HTTP on ln until ctx ends, then shuts down within 5s.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	defer func() {
		shCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shCtx); err != nil {
			s.log.Printf("server: shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}

// Start restores the cache from statePath, serves on addr and saves the
// cache again when serving ends.
func (s *Server) Start(ctx context.Context, addr, statePath string) error {
	if err := s.restore(statePath); err != nil {
		return err
	}
	defer s.persist(statePath)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.log.Fatalf("server: listen %s: %v", addr, err) // HAZ exit-skips-defer
	}
	return s.Serve(ctx, ln)
}

// StartChecked is Start returning the listen error so the deferred save runs.
func (s *Server) StartChecked(ctx context.Context, addr, statePath string) error {
	if err := s.restore(statePath); err != nil {
		s.log.Fatalf("server: restore %s: %v", statePath, err)
	}
	defer s.persist(statePath)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

type state struct {
	Entries map[string]cache.Entry `json:"entries"`
	Order   []string               `json:"order"`
}

// restore loads a saved cache, if any.
func (s *Server) restore(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	s.cache.Restore(st.Entries, st.Order)
	return nil
}

// persist saves the cache; failures are logged.
func (s *Server) persist(path string) {
	var st state
	st.Entries, st.Order = s.cache.Export()
	data, err := json.Marshal(st)
	if err != nil {
		s.log.Printf("server: persist: %v", err)
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		s.log.Printf("server: persist: %v", err)
	}
}
