package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

// Handler serves one method.
type Handler func(ctx context.Context, body []byte) ([]byte, error)

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("rpc: server closed")

type job struct {
	ctx   context.Context
	frame Frame
	reply func(Frame)
}

// Server dispatches frames to registered handlers.
type Server struct {
	Logger       *log.Logger
	CallTimeout  time.Duration
	PingInterval time.Duration

	mu       sync.Mutex
	handlers map[string]Handler
	conns    map[net.Conn]struct{}
	ln       net.Listener
	closing  bool
	wg       sync.WaitGroup

	jobs chan job
}

// NewServer returns a server with workers background workers for
// notifications.
func NewServer(logger *log.Logger, workers int) *Server {
	s := &Server{
		Logger:      logger,
		CallTimeout: 10 * time.Second,
		handlers:    make(map[string]Handler),
		conns:       make(map[net.Conn]struct{}),
		jobs:        make(chan job, 64),
	}
	for i := 0; i < workers; i++ {
		go s.worker()
	}
	return s
}

// Register adds a method handler.
func (s *Server) Register(method string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[method] = h
}

func (s *Server) handler(method string) (Handler, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.handlers[method]
	return h, ok
}

// worker runs queued notifications for the life of the process.
func (s *Server) worker() {
	for j := range s.jobs {
		ctx, cancel := context.WithTimeout(j.ctx, s.CallTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		s.run(ctx, j)
	}
}

func (s *Server) run(ctx context.Context, j job) {
	method, body, err := splitRequest(j.frame.Payload)
	if err != nil {
		return
	}
	h, ok := s.handler(method)
	if !ok {
		s.Logger.Printf("rpc: notify for unknown method %q", method)
		return
	}
	if _, err := h(ctx, body); err != nil {
		s.Logger.Printf("rpc: notify %s: %v", method, err)
	}
}

// Serve accepts connections until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			if closing {
				return ErrServerClosed
			}
			return err
		}
		if !s.track(conn) {
			conn.Close()
			return ErrServerClosed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(conn)
			s.untrack(conn)
		}()
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// serveConn reads frames and answers each request on its own goroutine.
func (s *Server) serveConn(conn net.Conn) {
	defer conn.Close()
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Printf("rpc: panic on %s: %v", conn.RemoteAddr(), v)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wmu sync.Mutex
	reply := func(f Frame) {
		wmu.Lock()
		defer wmu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := WriteFrame(conn, f); err != nil {
			s.Logger.Printf("rpc: write to %s: %v", conn.RemoteAddr(), err)
		}
	}
	var calls sync.WaitGroup
	br := bufio.NewReader(conn)
	for {
		f, err := ReadFrame(br)
		if err != nil {
			break
		}
		switch f.Type {
		case TypeRequest:
			calls.Add(1)
			go s.dispatch(ctx, &calls, f, reply) // HAZ goroutine-outside-recover
		case TypeNotify:
			select {
			case s.jobs <- job{ctx: context.WithoutCancel(ctx), frame: f, reply: reply}:
			default:
				s.Logger.Printf("rpc: notify queue full, dropping frame %d", f.ID)
			}
		case TypePing:
			reply(Frame{Type: TypePing, ID: f.ID})
		case TypeGoodbye:
			cancel()
		}
	}
	cancel()
	calls.Wait() // ok: explicit wait, not deferred
}

func (s *Server) dispatch(ctx context.Context, calls *sync.WaitGroup, f Frame, reply func(Frame)) {
	defer calls.Done()
	method, body, err := splitRequest(f.Payload)
	if err != nil {
		reply(Frame{Type: TypeError, ID: f.ID, Payload: []byte(err.Error())})
		return
	}
	h, ok := s.handler(method)
	if !ok {
		reply(Frame{Type: TypeError, ID: f.ID, Payload: []byte(fmt.Sprintf("unknown method %q", method))})
		return
	}
	ctx, cancel := context.WithTimeout(ctx, s.CallTimeout)
	defer cancel()
	out, err := h(ctx, body)
	if err != nil {
		reply(Frame{Type: TypeError, ID: f.ID, Payload: []byte(err.Error())})
		return
	}
	reply(Frame{Type: TypeResponse, ID: f.ID, Payload: out})
}

// ServeSession is serveConn with an optional keep-alive pinger.
func (s *Server) ServeSession(conn net.Conn) {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if s.PingInterval > 0 {
		stop = s.startPinger(conn)
	}
	s.serveConn(conn)
}

// ServeSessionFixed reads stop at exit through a closure.
func (s *Server) ServeSessionFixed(conn net.Conn) {
	stop := func() {}
	defer func() { stop() }() // ok: the closure calls the current stop
	if s.PingInterval > 0 {
		stop = s.startPinger(conn)
	}
	s.serveConn(conn)
}

// startPinger pings the peer every PingInterval until the returned func is
// called.
func (s *Server) startPinger(conn net.Conn) func() {
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(s.PingInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				conn.SetWriteDeadline(time.Now().Add(time.Second))
				if err := WriteFrame(conn, Frame{Type: TypePing}); err != nil {
					return
				}
			case <-done:
				return
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// Close stops accepting, closes every connection and waits for them.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	ln := s.ln
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	var err error
	if ln != nil {
		err = ln.Close()
	}
	s.wg.Wait() // ok: explicit
	return err
}
