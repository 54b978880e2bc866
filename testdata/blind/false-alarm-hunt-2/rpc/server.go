// Package rpc is a small JSON-over-TCP RPC framework with interceptors.
package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"time"
)

// ErrServerStopped is returned by Serve after GracefulStop.
var ErrServerStopped = errors.New("rpc: server stopped")

// Handler handles one request.
type Handler func(ctx context.Context, params json.RawMessage) (any, error)

// Info describes the method being called.
type Info struct {
	Method string
	Peer   string
}

// Interceptor wraps a handler call.
type Interceptor func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (any, error)

type frame struct {
	ID     uint64          `json:"id"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Server dispatches frames to registered handlers.
type Server struct {
	logger *log.Logger

	mu           sync.Mutex
	methods      map[string]Handler
	interceptors []Interceptor
	lis          net.Listener
	conns        map[net.Conn]struct{}
	quit         chan struct{}
	stopped      bool

	wg sync.WaitGroup
}

// NewServer creates a server.
func NewServer(logger *log.Logger) *Server {
	return &Server{
		logger:  logger,
		methods: map[string]Handler{},
		conns:   map[net.Conn]struct{}{},
		quit:    make(chan struct{}),
	}
}

// Register adds a method.
func (s *Server) Register(name string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.methods[name]; dup {
		panic("rpc: duplicate method " + name)
	}
	s.methods[name] = h
}

// Use appends interceptors; the first one is outermost.
func (s *Server) Use(ics ...Interceptor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interceptors = append(s.interceptors, ics...)
}

func (s *Server) lookup(method string) (Handler, []Interceptor, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.methods[method]
	return h, append([]Interceptor(nil), s.interceptors...), ok
}

// Serve accepts connections until the listener fails or the server stops.
func (s *Server) Serve(lis net.Listener) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return ErrServerStopped
	}
	s.lis = lis
	s.mu.Unlock()

	var tempDelay time.Duration
	for {
		conn, err := lis.Accept()
		if err != nil {
			select {
			case <-s.quit:
				return ErrServerStopped
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				tempDelay = max(5*time.Millisecond, min(2*tempDelay, time.Second))
				time.Sleep(tempDelay) // ok: a plain backoff, not deferred
				continue
			}
			return err
		}
		tempDelay = 0
		s.trackConn(conn, true)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.trackConn(conn, false) // ok: conn is per iteration under go1.22
			s.handleConn(conn)
		}()
	}
}

func (s *Server) trackConn(c net.Conn, add bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
}

func (s *Server) handleConn(conn net.Conn) {
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dec := json.NewDecoder(conn)
	enc := json.NewEncoder(conn)
	peer := conn.RemoteAddr().String()
	for {
		var req frame
		if err := dec.Decode(&req); err != nil {
			return
		}
		resp := s.dispatch(ctx, peer, req)
		if err := enc.Encode(resp); err != nil {
			s.logger.Printf("rpc: write to %s: %v", peer, err)
			return
		}
	}
}

// dispatch calls the handler chain and converts panics into error frames.
func (s *Server) dispatch(ctx context.Context, peer string, req frame) (out frame) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Printf("rpc: panic in %s: %v\n%s", req.Method, r, debug.Stack())
			out = frame{ID: req.ID, Error: "internal error"}
		}
	}()
	h, ics, ok := s.lookup(req.Method)
	if !ok {
		return frame{ID: req.ID, Error: "unknown method " + req.Method}
	}
	info := &Info{Method: req.Method, Peer: peer}
	res, err := chain(ics, info, h)(ctx, req.Params)
	if err != nil {
		return frame{ID: req.ID, Error: err.Error()}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return frame{ID: req.ID, Error: fmt.Sprintf("marshal result: %v", err)}
	}
	return frame{ID: req.ID, Result: b}
}

func chain(ics []Interceptor, info *Info, final Handler) Handler {
	h := final
	for i := len(ics) - 1; i >= 0; i-- {
		ic, next := ics[i], h
		h = func(ctx context.Context, params json.RawMessage) (any, error) {
			return ic(ctx, params, info, next)
		}
	}
	return h
}

// GracefulStop stops accepting and waits for connections to finish or ctx to end.
func (s *Server) GracefulStop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	close(s.quit)
	lis := s.lis
	s.mu.Unlock()

	if lis != nil {
		lis.Close()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done) // ok: a close never blocks, even if nobody waits any more
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeAllConns()
		return ctx.Err()
	}
}

func (s *Server) closeAllConns() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Batch runs several calls concurrently on behalf of one peer.
func (s *Server) Batch(ctx context.Context, peer string, reqs []frame) []frame {
	out := make([]frame, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = s.dispatch(ctx, peer, req) // ok: dispatch recovers in this goroutine
		}()
	}
	wg.Wait()
	return out
}
