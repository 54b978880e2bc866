package server

import (
	"context"
	"log"
	"net"
	"sync"
	"time"

	"example.com/chatrelay/internal/protocol"
)

// isClosing reports whether Shutdown has started.
func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Shutdown stops accepting, tells connected clients, waits for their
// handlers (bounded by ctx) and then stops the history writers.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	ln := s.ln
	close(s.quit)
	s.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	var conns []net.Conn
	s.conns.Range(func(k, _ any) bool {
		conns = append(conns, k.(net.Conn))
		return true
	})
	s.drainConns(conns, 2*time.Second)
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	for _, q := range s.queues {
		close(q)
	}
	s.bg.Wait()
	s.Stats().Log("relay: shut down")
	return nil
}

// drainConns tells every open connection that the relay is going down and
// closes it; each notice is bounded by grace.
func (s *Server) drainConns(conns []net.Conn, grace time.Duration) {
	var wg sync.WaitGroup
	for _, conn := range conns {
		wg.Add(1)
		go func(conn net.Conn) {
			if err := conn.SetWriteDeadline(time.Now().Add(grace)); err != nil {
				log.Printf("relay: drain %v: %v", conn.RemoteAddr(), err)
				return
			}
			_ = protocol.WriteLine(conn, protocol.FormatNotice("*", "server shutting down"))
			conn.Close()
			wg.Done() // HAZ waitgroup-done-path
		}(conn)
	}
	wg.Wait()
}
