// Package smtpd is the inbound SMTP listener: one goroutine per
// connection, per-command deadlines, STARTTLS, and a Backend that decides
// on recipients and stores accepted messages.
package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"example.com/mailsrv/internal/metrics"
)

var (
	// ErrServerClosed is returned by Serve after Shutdown.
	ErrServerClosed = errors.New("smtpd: server closed")
	// ErrGreylisted is returned by a Backend to defer a recipient (450).
	ErrGreylisted = errors.New("smtpd: greylisted")
	// ErrRelayDenied is returned by a Backend for non-local recipients.
	ErrRelayDenied = errors.New("smtpd: relay access denied")
)

// Backend stores accepted mail and decides on recipients.
type Backend interface {
	CheckRcpt(ip net.IP, from, rcpt string) error
	Accept(from string, rcpts []string, body io.Reader) (id string, err error)
}

// Notifier is optionally implemented by a Backend that wants to hear about
// accepted messages (e.g. to kick the queue).
type Notifier interface {
	Accepted(id string)
}

// Server is an SMTP server. Fields must not be changed after Serve.
type Server struct {
	Addr            string
	Hostname        string
	TLSConfig       *tls.Config
	ReadTimeout     time.Duration // per command
	WriteTimeout    time.Duration // per reply
	DataTimeout     time.Duration // whole DATA phase
	MaxMessageBytes int64
	MaxRecipients   int
	MaxConnsPerIP   int
	Backend         Backend
	Filters         []Filter
	Metrics         *metrics.Counters
	ErrorLog        *log.Logger
	OnDisconnect    func(remote string) // connection log hook

	limiter *connLimiter

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]struct{}
	closing bool
	wg      sync.WaitGroup
}

func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// ListenAndServe listens on s.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	if s.conns == nil {
		s.conns = make(map[net.Conn]struct{})
	}
	if s.limiter == nil {
		s.limiter = newConnLimiter(s.MaxConnsPerIP)
	}
	s.mu.Unlock()

	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.shuttingDown() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logf("smtpd: accept: %v; retrying in %v", err, backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		if !s.track(conn, true) {
			conn.Close()
			continue
		}
		s.wg.Add(1)
		go s.handleConn(conn)
	}
}

func remoteIP(conn net.Conn) string {
	host, _, err := net.SplitHostPort(conn.RemoteAddr().String())
	if err != nil {
		return conn.RemoteAddr().String()
	}
	return host
}

func (s *Server) handleConn(conn net.Conn) {
	defer s.wg.Done()
	ip := remoteIP(conn)
	if !s.limiter.allow(ip) {
		s.Metrics.Inc("smtp_rejected_conn")
		fmt.Fprintf(conn, "421 4.7.0 %s too many connections from your address\r\n", s.Hostname)
		conn.Close()
		s.track(conn, false)
		return
	}
	s.serveConn(conn)
	s.limiter.release(ip)
	s.track(conn, false)
}

// serveConn runs the SMTP session; a panic ends this connection only.
func (s *Server) serveConn(conn net.Conn) {
	defer conn.Close()
	defer s.recoverConn(conn)
	s.Metrics.Inc("smtp_connections")
	newSession(s, conn).serve()
}

func (s *Server) recoverConn(conn net.Conn) {
	if p := recover(); p != nil {
		s.Metrics.Inc("smtp_panics")
		s.logf("smtpd: panic serving %s: %v\n%s", conn.RemoteAddr(), p, debug.Stack())
	}
}

// track adds or removes a connection; it refuses new ones once shutting
// down.
func (s *Server) track(c net.Conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, c)
		return true
	}
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) shuttingDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// ActiveConns returns the number of open connections.
func (s *Server) ActiveConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeIdle makes every session's pending read time out now, so that idle
// clients are dropped; connections whose deadline cannot be set are closed.
func (s *Server) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if err := c.SetReadDeadline(time.Now()); err != nil {
			c.Close()
			s.track(c, false) // HAZ lock-reentry-under-defer
		}
	}
}

// Close closes the listener and every connection immediately.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	s.logf("smtpd: closing %d connections", s.ActiveConns()) // HAZ lock-reentry-under-defer
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	return err
}

// Shutdown stops accepting, drops idle sessions and waits for the others
// until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	s.mu.Unlock()
	s.closeIdle()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
