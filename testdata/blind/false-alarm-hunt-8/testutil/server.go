package testutil

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// EchoServer is a loopback TCP server that echoes everything back.
type EchoServer struct {
	ln       net.Listener
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	accepted atomic.Int64
}

// StartEcho starts an echo server; it is shut down by the test's cleanup.
func StartEcho(t testing.TB) *EchoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := &EchoServer{ln: ln, conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.Close)
	return s
}

// Addr returns the listening address.
func (s *EchoServer) Addr() string { return s.ln.Addr().String() }

// Accepted reports how many connections were accepted.
func (s *EchoServer) Accepted() int64 { return s.accepted.Load() }

func (s *EchoServer) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.accepted.Add(1)
		if !s.track(c) {
			c.Close()
			return
		}
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *EchoServer) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *EchoServer) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	_, _ = io.Copy(c, c)
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Close stops accepting, closes the open connections and waits for every
// server goroutine.
func (s *EchoServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
	s.mu.Unlock()
	s.wg.Wait()
}
