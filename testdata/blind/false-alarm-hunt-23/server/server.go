package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"

	"example.com/fah23/internal/wire"
)

// Server accepts wire-protocol connections for an Engine.
type Server struct {
	eng      *Engine
	dir      string
	segments chan string

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	closed bool

	wg       sync.WaitGroup
	sessions atomic.Int64
}

// New returns a server for eng; dir holds snapshots and WAL segments.
func New(eng *Engine, dir string) *Server {
	return &Server{
		eng:      eng,
		dir:      dir,
		segments: make(chan string, 16),
		conns:    map[net.Conn]struct{}{},
	}
}

func (s *Server) setListener(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.ln = ln
	return true
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// track registers a connection so Close can interrupt it.
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[nc] = struct{}{}
	return true
}

func (s *Server) forget(nc net.Conn) {
	s.mu.Lock()
	delete(s.conns, nc)
	s.mu.Unlock()
}

// Serve accepts connections until the listener fails or Close is called,
// in which case it returns nil.
func (s *Server) Serve(ln net.Listener) error {
	if !s.setListener(ln) {
		return net.ErrClosed
	}
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return nil
			}
			return err
		}
		if !s.track(nc) {
			nc.Close()
			return nil
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(nc)
			s.forget(nc)
		}()
	}
}

func (s *Server) handle(nc net.Conn) {
	defer nc.Close()
	sess := newSession(s.eng, fmt.Sprintf("s%d", s.sessions.Add(1)))
	err := s.serveSession(nc, sess)
	s.eng.ReleaseLocks(sess.id)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		log.Printf("fahdbd: %s: %v", nc.RemoteAddr(), err)
	}
}

func (s *Server) serveSession(nc net.Conn, sess *session) error {
	r, w := wire.NewReader(nc), wire.NewWriter(nc)
	for {
		req, err := r.ReadFrame()
		if err != nil {
			return err
		}
		if req.Kind == wire.KindTerminate {
			return nil
		}
		resp := sess.safeDispatch(req)
		if n := len(resp); n == 0 || resp[n-1].Kind != wire.KindError {
			resp = append(resp, wire.Frame{Kind: wire.KindDone})
		}
		for _, f := range resp {
			if err := w.WriteFrame(f); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
}

// Close stops accepting and closes every open connection. It does not wait
// for the handlers; Shutdown does.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for nc := range s.conns {
		nc.Close()
	}
	return err
}

// Shutdown closes the server and waits for the handlers until ctx ends.
// The waiter goroutine only closes done, so it never blocks on a reader
// that has gone away.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.Close()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}
