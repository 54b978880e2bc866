package bidstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Server accepts bidding clients.
type Server struct {
	backend  Backend
	queue    int
	maxConns int
	nextID   atomic.Uint64

	mu       sync.Mutex
	sessions map[string]*Session
	wg       sync.WaitGroup
}

// NewServer returns a server with a reply queue of queue lines per client
// and at most maxConns concurrent clients.
func NewServer(b Backend, queue, maxConns int) *Server {
	return &Server{backend: b, queue: queue, maxConns: maxConns, sessions: make(map[string]*Session)}
}

// Serve accepts connections until ln is closed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if s.Len() >= s.maxConns {
			s.turnAway(conn)
			continue
		}
		sess := newSession(fmt.Sprintf("c%d", s.nextID.Add(1)), conn, s.backend, s.queue)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(ctx, sess)
		}()
	}
}

// turnAway tells a client that the server is full and hangs up. The write
// is bounded by a deadline, so a client that never reads cannot stall the
// accept loop.
func (s *Server) turnAway(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = conn.Write([]byte("ERR server full\n"))
}

// serveConn runs one session and closes its connection afterwards.
func (s *Server) serveConn(ctx context.Context, sess *Session) {
	defer sess.conn.Close()
	s.track(sess)
	sess.Run(ctx)
	s.untrack(sess.id)
}

func (s *Server) track(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.id] = sess
}

func (s *Server) untrack(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// Len returns the number of connected clients.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Kick disconnects one client.
func (s *Server) Kick(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return false
	}
	sess.shutdown()
	_ = sess.conn.SetReadDeadline(time.Now())
	s.untrack(id) // HAZ lock-reentry-under-defer
	return true
}

// sessionList is a point-in-time copy of the connected sessions.
type sessionList []*Session

// sessionsNow copies the connected sessions.
func (s *Server) sessionsNow() sessionList {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(sessionList, 0, len(s.sessions))
	for _, sess := range s.sessions {
		out = append(out, sess)
	}
	return out
}

// broadcast queues line for every session of the list.
func (l sessionList) broadcast(line string) (queued int) {
	for _, sess := range l {
		if sess.Send(line) {
			queued++
		}
	}
	return queued
}

// Drain waits until open reports no open lot any more (or ctx ends) and
// then tells the connected clients that trading is over.
func (s *Server) Drain(ctx context.Context, open func() int) error {
	defer s.sessionsNow().broadcast("OK TRADING CLOSED") // HAZ defer-call-chain
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for open() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// Shutdown disconnects every client and waits for the session goroutines,
// giving up when ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	for _, sess := range s.sessions {
		sess.shutdown()
		_ = sess.conn.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
