package rpc

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// UnaryMethod describes a unary method of a service.
type UnaryMethod struct {
	Name       string
	NewRequest func() any
	Handler    UnaryHandler
}

// StreamMethod describes a server-streaming method of a service.
type StreamMethod struct {
	Name       string
	NewRequest func() any
	Handler    StreamHandler
}

type unaryEntry struct {
	info UnaryInfo
	m    UnaryMethod
}

type streamEntry struct {
	info UnaryInfo
	m    StreamMethod
}

// Server dispatches POST /service/method requests to registered handlers.
type Server struct {
	mu        sync.RWMutex
	unary     map[string]*unaryEntry
	streams   map[string]*streamEntry
	unaryInt  UnaryServerInterceptor
	streamInt StreamServerInterceptor
	inflight  sync.WaitGroup
	draining  atomic.Bool
	maxBody   int64
	log       *slog.Logger
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithUnaryInterceptors installs server interceptors, outermost first.
func WithUnaryInterceptors(ics ...UnaryServerInterceptor) ServerOption {
	return func(s *Server) { s.unaryInt = ChainUnaryServer(ics...) }
}

// WithStreamInterceptors installs stream interceptors, outermost first.
func WithStreamInterceptors(ics ...StreamServerInterceptor) ServerOption {
	return func(s *Server) { s.streamInt = ChainStreamServer(ics...) }
}

// WithMaxBody limits the size of request bodies.
func WithMaxBody(n int64) ServerOption {
	return func(s *Server) { s.maxBody = n }
}

// WithLogger sets the server logger.
func WithLogger(l *slog.Logger) ServerOption {
	return func(s *Server) { s.log = l }
}

// NewServer returns an empty server.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{
		unary:     make(map[string]*unaryEntry),
		streams:   make(map[string]*streamEntry),
		unaryInt:  ChainUnaryServer(),
		streamInt: ChainStreamServer(),
		maxBody:   4 << 20,
		log:       slog.Default(),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func methodKey(service, method string) string { return "/" + service + "/" + method }

// RegisterUnary adds a unary method. Like http.ServeMux it panics on a
// duplicate registration.
func (s *Server) RegisterUnary(service string, m UnaryMethod) {
	key := methodKey(service, m.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registeredLocked(key) {
		panic("rpc: duplicate registration of " + key)
	}
	s.unary[key] = &unaryEntry{info: UnaryInfo{Service: service, Method: m.Name}, m: m}
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("registered unary method", "method", key, "all", s.Methods()) // HAZ lock-reentry-under-defer
	}
}

// RegisterStream adds a server-streaming method.
func (s *Server) RegisterStream(service string, m StreamMethod) {
	key := methodKey(service, m.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.registeredLocked(key) {
		panic("rpc: duplicate registration of " + key)
	}
	s.streams[key] = &streamEntry{info: UnaryInfo{Service: service, Method: m.Name}, m: m}
	s.log.Debug("registered stream method", "method", key, "count", len(s.streams))
}

func (s *Server) registeredLocked(key string) bool {
	_, u := s.unary[key]
	_, st := s.streams[key]
	return u || st
}

// Has reports whether service/method is registered.
func (s *Server) Has(service, method string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.registeredLocked(methodKey(service, method))
}

// Methods lists every registered method, sorted.
func (s *Server) Methods() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.unary)+len(s.streams))
	for k := range s.unary {
		out = append(out, k)
	}
	for k := range s.streams {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Server) lookup(key string) (*unaryEntry, *streamEntry) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.unary[key], s.streams[key]
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeStatus(w, &Status{Code: Unimplemented, Message: "method must be POST"})
		return
	}
	if s.draining.Load() {
		writeStatus(w, &Status{Code: Unavailable, Message: "server is draining"})
		return
	}
	s.inflight.Add(1)
	defer s.inflight.Done()
	u, st := s.lookup(r.URL.Path)
	switch {
	case u != nil:
		s.handleUnary(w, r, u)
	case st != nil:
		s.handleStream(w, r, st)
	default:
		writeStatus(w, &Status{Code: Unimplemented, Message: "unknown method " + r.URL.Path})
	}
}

// incomingContext derives the handler context: caller metadata and the
// caller's remaining deadline.
func (s *Server) incomingContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx := NewIncomingContext(r.Context(), MDFromHeader(r.Header))
	if t := r.Header.Get("Rpc-Timeout"); t != "" {
		if d, err := time.ParseDuration(t); err == nil && d > 0 {
			return context.WithTimeout(ctx, d)
		}
	}
	return context.WithCancel(ctx)
}

// handleUnary runs the handler in its own goroutine so that the deadline is
// enforced even for handlers that ignore their context.
func (s *Server) handleUnary(w http.ResponseWriter, r *http.Request, e *unaryEntry) {
	ctx, cancel := s.incomingContext(r)
	defer cancel()
	req := e.m.NewRequest()
	if err := decodeJSON(r.Body, req, s.maxBody); err != nil {
		writeStatus(w, StatusOf(err))
		return
	}
	type outcome struct {
		reply any
		err   error
	}
	done := make(chan outcome)
	go func() {
		reply, err := s.unaryInt(ctx, req, &e.info, e.m.Handler)
		done <- outcome{reply: reply, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case out := <-done:
		if out.err != nil {
			writeStatus(w, StatusOf(out.err))
			return
		}
		if err := writeReply(w, nil, out.reply); err != nil {
			s.log.Warn("write reply", "method", e.info.FullMethod(), "err", err)
		}
	case <-ctx.Done():
		writeStatus(w, StatusOf(ctx.Err()))
	}
}

func (s *Server) handleStream(w http.ResponseWriter, r *http.Request, e *streamEntry) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeStatus(w, &Status{Code: Internal, Message: "streaming unsupported by transport"})
		return
	}
	ctx, cancel := s.incomingContext(r)
	defer cancel()
	req := e.m.NewRequest()
	if err := decodeJSON(r.Body, req, s.maxBody); err != nil {
		writeStatus(w, StatusOf(err))
		return
	}
	ss := newServerStream(ctx, w, fl)
	err := s.streamInt(ctx, req, ss, &e.info, e.m.Handler)
	ss.finish(err)
}

// Drain stops accepting calls and waits for in-flight calls, at most until
// ctx is done. The waiting goroutine only closes a channel, so it never
// blocks on a send when Drain gives up.
func (s *Server) Drain(ctx context.Context) error {
	s.draining.Store(true)
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
