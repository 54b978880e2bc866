// Package proxy is the TCP load balancer: accept loops, per-connection
// handlers and the bidirectional copy between client and backend.
package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/tcpproxylb/internal/accesslog"
	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/breaker"
	"example.com/tcpproxylb/internal/metrics"
	"example.com/tcpproxylb/internal/proxyproto"
	"example.com/tcpproxylb/internal/sticky"
)

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("proxy: server closed")

// Config configures one frontend.
type Config struct {
	Name             string
	ProxyProtocol    bool
	SendProxy        bool
	HeaderTimeout    time.Duration
	HandshakeTimeout time.Duration
	DialTimeout      time.Duration
	IdleTimeout      time.Duration
	MaxConns         int
	Sticky           *sticky.Table
	TLS              *tls.Config
	Mirror           *Mirror
	AccessLog        *accesslog.Logger
	Logf             func(format string, args ...any)
}

// Server proxies one frontend to one backend pool.
type Server struct {
	cfg      Config
	pool     *backend.Pool
	reg      *metrics.Registry
	dialer   *Dialer
	dialHist *metrics.Histogram
	sessHist *metrics.Histogram
	accepted *metrics.Counter
	rejected *metrics.Counter
	active   *metrics.Counter
	panics   *metrics.Counter
	sem      chan struct{}

	mu           sync.Mutex
	ln           net.Listener
	wg           sync.WaitGroup
	conns        sync.Map // net.Conn -> time.Time accepted
	shuttingDown atomic.Bool
}

// NewServer returns a server for pool.
func NewServer(cfg Config, pool *backend.Pool, reg *metrics.Registry) *Server {
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.HeaderTimeout == 0 {
		cfg.HeaderTimeout = 5 * time.Second
	}
	if cfg.HandshakeTimeout == 0 {
		cfg.HandshakeTimeout = 10 * time.Second
	}
	s := &Server{
		cfg:      cfg,
		pool:     pool,
		reg:      reg,
		dialer:   NewDialer(cfg.DialTimeout, 8, reg.Histogram(cfg.Name+"_dial")),
		dialHist: reg.Histogram(cfg.Name + "_connect"),
		sessHist: reg.Histogram(cfg.Name + "_session"),
		accepted: reg.Counter(cfg.Name + "_accepted_total"),
		rejected: reg.Counter(cfg.Name + "_rejected_total"),
		active:   reg.Counter(cfg.Name + "_active"),
		panics:   reg.Counter(cfg.Name + "_panics_total"),
	}
	if cfg.MaxConns > 0 {
		s.sem = make(chan struct{}, cfg.MaxConns)
	}
	return s
}

func (s *Server) logf(format string, args ...any) {
	s.cfg.Logf("["+s.cfg.Name+"] "+format, args...)
}

// logPanic is deferred directly by every goroutine of the proxy.
func (s *Server) logPanic(what string) {
	if r := recover(); r != nil {
		s.panics.Inc()
		s.logf("panic in %s: %v\n%s", what, r, debug.Stack())
	}
}

// Serve accepts connections on ln until it is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	defer ln.Close()

	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.shuttingDown.Load() || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logf("accept: %v; retrying in %v", err, backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.accepted.Inc()
		s.wg.Add(1)
		if s.cfg.TLS != nil {
			go s.handleTLS(conn)
		} else {
			go s.handle(conn)
		}
	}
}

// admit takes a connection slot. The release function never blocks.
func (s *Server) admit() (release func(), ok bool) {
	if s.sem == nil {
		return func() {}, true
	}
	select {
	case s.sem <- struct{}{}:
		return func() {
			select {
			case <-s.sem:
			default:
			}
		}, true
	default:
		return nil, false
	}
}

// handle serves one plain TCP client.
func (s *Server) handle(raw net.Conn) {
	defer s.wg.Done()
	defer raw.Close()
	defer s.logPanic("conn from " + raw.RemoteAddr().String())

	release, ok := s.admit()
	if !ok {
		s.rejected.Inc()
		return
	}
	defer release()
	s.conns.Store(raw, time.Now())
	defer s.conns.Delete(raw)
	s.active.Add(1)
	defer s.active.Add(-1)

	var conn net.Conn = raw
	if s.cfg.ProxyProtocol {
		pc, err := proxyproto.Accept(raw, s.cfg.HeaderTimeout)
		if err != nil {
			s.logf("PROXY header from %s: %v", raw.RemoteAddr(), err)
			return
		}
		conn = pc
	}

	b, err := s.pick(conn)
	if err != nil {
		s.logf("no backend for %s: %v", conn.RemoteAddr(), err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.DialTimeout)
	upstream, err := s.dialBackend(ctx, b)
	cancel()
	if err != nil {
		s.logf("dial %s: %v", b.Addr, err)
		return
	}
	defer upstream.Close()
	defer b.Acquire()()
	s.relay(conn, upstream, b)
}

// handleTLS terminates TLS and then proxies the plaintext.
func (s *Server) handleTLS(raw net.Conn) {
	defer s.wg.Done()
	tc := tls.Server(raw, s.cfg.TLS)
	defer tc.Close()
	s.conns.Store(raw, time.Now())
	defer s.conns.Delete(raw)

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.HandshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		s.logf("TLS handshake from %s: %v", raw.RemoteAddr(), err)
		return
	}
	b, err := s.pick(tc)
	if err != nil {
		s.logf("no backend for %s: %v", raw.RemoteAddr(), err)
		return
	}
	upstream, err := s.dialer.Dial(context.Background(), b.Addr)
	if err != nil {
		s.logf("dial %s: %v", b.Addr, err)
		return
	}
	defer upstream.Close()
	defer b.Snapshot().PublishTo(s.reg) // HAZ defer-call-chain
	s.relay(tc, upstream, b)
}

// pick chooses a backend, honouring stickiness when configured.
func (s *Server) pick(conn net.Conn) (*backend.Backend, error) {
	if s.cfg.Sticky == nil {
		return s.pool.Next()
	}
	host, _, err := net.SplitHostPort(conn.RemoteAddr().String())
	if err != nil {
		return s.pool.Next()
	}
	addr, err := s.cfg.Sticky.GetOrAssign(host, func() (string, error) {
		b, err := s.pool.Next()
		if err != nil {
			return "", err
		}
		return b.Addr, nil
	})
	if err != nil {
		return nil, err
	}
	if b, ok := s.pool.Get(addr); ok && b.Available() {
		return b, nil
	}
	s.cfg.Sticky.Forget(addr)
	return s.pool.Next()
}

// dialBackend dials through the backend's circuit breaker.
func (s *Server) dialBackend(ctx context.Context, b *backend.Backend) (net.Conn, error) {
	defer metrics.Track(s.dialHist) // HAZ defer-func-result-not-called
	if !b.Breaker.Allow() {
		return nil, fmt.Errorf("%w: %s", breaker.ErrOpen, b.Addr)
	}
	c, err := s.dialer.Dial(ctx, b.Addr)
	b.Breaker.Record(err)
	return c, err
}

// task is a background job owned by the server.
type task struct {
	name string
	run  func(ctx context.Context)
}

// StartBackground starts the server's housekeeping jobs. Each goroutine
// carries its own recover, because the one here only covers this function.
func (s *Server) StartBackground(ctx context.Context, checker *backend.Checker) {
	defer s.logPanic("start background")
	tasks := []task{
		{"health", checker.Run},
		{"sticky-sweeper", func(ctx context.Context) {
			if s.cfg.Sticky != nil {
				s.cfg.Sticky.RunSweeper(ctx, time.Minute)
			}
		}},
		{"access-log-flush", s.flushAccessLog},
	}
	for _, t := range tasks {
		s.wg.Add(1)
		go func(t task) {
			defer s.wg.Done()
			defer s.logPanic(t.name)
			t.run(ctx)
		}(t)
	}
}

func (s *Server) flushAccessLog(ctx context.Context) {
	if s.cfg.AccessLog == nil {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := s.cfg.AccessLog.Flush(); err != nil {
				s.logf("access log: %v", err)
			}
			return
		case <-tick.C:
			if err := s.cfg.AccessLog.Flush(); err != nil {
				s.logf("access log: %v", err)
			}
		}
	}
}

// ActiveConns returns how many client connections are tracked.
func (s *Server) ActiveConns() int {
	n := 0
	s.conns.Range(func(_, _ any) bool {
		n++
		return true
	})
	return n
}
