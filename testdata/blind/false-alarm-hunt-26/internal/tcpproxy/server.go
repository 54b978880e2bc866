// Package tcpproxy is a layer-4 load balancer: it accepts TCP connections,
// picks a healthy backend and splices the two connections together.
package tcpproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/limit"
	"example.com/fah26/internal/stats"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("tcpproxy: server closed")

// Server proxies every accepted connection to a backend of Pool.
type Server struct {
	Pool        *backend.Pool
	Metrics     *stats.Metrics
	Limiter     *limit.Limiter // optional
	Logger      *log.Logger
	DialTimeout time.Duration
	IdleTimeout time.Duration

	inShutdown atomic.Bool
	mu         sync.Mutex
	listener   net.Listener
	conns      sync.Map // net.Conn -> struct{}
	wg         sync.WaitGroup
}

func (s *Server) logf(format string, args ...any) {
	if s.Logger != nil {
		s.Logger.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// Serve accepts connections on ln until ln fails or Shutdown is called. The
// listener is closed when Serve returns.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.listener != nil {
		s.mu.Unlock()
		return errors.New("tcpproxy: Serve called twice")
	}
	if s.inShutdown.Load() {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listener = ln
	s.mu.Unlock()
	defer ln.Close()

	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.inShutdown.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				delay = backoff(delay)
				s.logf("tcpproxy: accept: %v; retrying in %s", err, delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		s.conns.Store(conn, struct{}{})
		s.wg.Add(1)
		go s.serveConn(conn)
	}
}

func backoff(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Millisecond
	}
	if d *= 2; d > time.Second {
		d = time.Second
	}
	return d
}

// serveConn owns one client connection from accept to close.
func (s *Server) serveConn(client net.Conn) {
	defer s.wg.Done()
	defer s.conns.Delete(client)
	defer client.Close()
	defer s.recoverConn(client)

	if s.Limiter != nil {
		release, err := s.Limiter.TryAcquire()
		if err != nil {
			s.refuse(client, "busy")
			return
		}
		defer release()
	}
	defer s.Metrics.TrackActive()()

	b, err := s.Pool.Pick()
	if err != nil {
		s.refuse(client, "no backend available")
		return
	}
	// the backend filled up or started draining between Pick and Dial
	if err := s.proxyTo(client, b); errors.Is(err, backend.ErrSaturated) || errors.Is(err, backend.ErrDraining) {
		s.refuse(client, err.Error())
	}
}

// recoverConn is deferred by serveConn: a bug in one connection must not
// take the whole proxy down.
func (s *Server) recoverConn(c net.Conn) {
	if r := recover(); r != nil {
		s.logf("tcpproxy: panic serving %s: %v\n%s", c.RemoteAddr(), r, debug.Stack())
	}
}

// refuse tells the client why it is being hung up on. The goodbye is bounded
// by a write deadline so a client that doesn't read cannot hold us.
func (s *Server) refuse(c net.Conn, reason string) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = fmt.Fprintf(c, "-ERR %s\r\n", reason)
}

// dialUpstream connects to b, recording how long the dial took.
func (s *Server) dialUpstream(b *backend.Backend) (net.Conn, error) {
	defer stats.Timer(s.Metrics, "dial:"+b.Name) // HAZ defer-func-result-not-called
	return b.Dial(s.DialTimeout)
}

// proxyTo splices client to a fresh connection to b.
func (s *Server) proxyTo(client net.Conn, b *backend.Backend) error {
	start := time.Now()
	upstream, err := s.dialUpstream(b)
	if err != nil {
		return err
	}
	defer upstream.Close()
	defer func() { s.Metrics.ObserveSession(b.Name, time.Since(start)) }()
	defer s.logSession(client, b, err) // HAZ defer-eager-evaluation
	sent, received, err := Pipe(client, upstream, s.IdleTimeout)
	s.Metrics.AddBytes(b.Name, sent+received)
	return err
}

// logSession writes the access-log line of a finished session.
func (s *Server) logSession(client net.Conn, b *backend.Backend, err error) {
	if err != nil && !errors.Is(err, net.ErrClosed) {
		s.logf("tcpproxy: session %s -> %s failed: %v", client.RemoteAddr(), b.Name, err)
		return
	}
	s.logf("tcpproxy: session %s -> %s done", client.RemoteAddr(), b.Name)
}

// Handoff proxies a connection accepted elsewhere (socket activation, a
// protocol sniffer) to the named backend.
func (s *Server) Handoff(client net.Conn, name string) error {
	defer client.Close()
	b, ok := s.Pool.Get(name)
	if !ok {
		return fmt.Errorf("tcpproxy: unknown backend %q", name)
	}
	var done func()
	if s.Metrics != nil {
		done = stats.Timer(s.Metrics, "handoff:"+name)
	}
	defer done() // HAZ defer-nil-func
	upstream, err := b.Dial(s.DialTimeout)
	if err != nil {
		return err
	}
	defer upstream.Close()
	_, _, err = Pipe(client, upstream, s.IdleTimeout)
	return err
}

// Shutdown stops accepting, then waits for open sessions until ctx is done,
// at which point the remaining connections are closed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	ln := s.listener
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
		<-done
		return ctx.Err()
	}
}

// ActiveConns returns the number of client connections being served.
func (s *Server) ActiveConns() int {
	n := 0
	s.conns.Range(func(_, _ any) bool {
		n++
		return true
	})
	return n
}

// Banner writes a greeting to c before proxying, for protocols that expect
// the server to speak first. Snapshot arguments in the deferred log line are
// intended: they name the connection as it was when we started.
func (s *Server) Banner(c net.Conn, text string) error {
	remote := c.RemoteAddr().String()
	defer s.logf("tcpproxy: banner sent to %s", remote)
	if err := c.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	if _, err := io.WriteString(c, text+"\r\n"); err != nil {
		return err
	}
	return c.SetWriteDeadline(time.Time{})
}
