// Package server runs the DNS listeners: one UDP socket served with a
// goroutine per packet, and a TCP listener with a goroutine per connection.
package server

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dnsproxy/internal/blocklist"
	"example.com/dnsproxy/internal/cache"
	"example.com/dnsproxy/internal/metrics"
	"example.com/dnsproxy/internal/querylog"
	"example.com/dnsproxy/internal/upstream"
)

var errNotQuery = errors.New("server: not a standard query")

// Config holds the listener settings.
type Config struct {
	UDPAddr       string
	TCPAddr       string
	ReadTimeout   time.Duration
	QueryTimeout  time.Duration
	StatsInterval time.Duration
	RateLimit     float64 // queries per second per client; 0 disables
}

// Event is passed to hooks after every answered query.
type Event struct {
	Name    string
	Client  string
	Rcode   int
	Blocked bool
	Cached  bool
}

// Server answers DNS queries from the cache, the blocklist or the upstreams.
type Server struct {
	cfg     Config
	cache   *cache.Cache
	pool    *upstream.Pool
	block   *blocklist.Blocklist
	qlog    *querylog.Logger
	metrics *metrics.Registry

	udp net.PacketConn
	tcp net.Listener

	inflight sync.WaitGroup
	closing  atomic.Bool
	done     chan struct{}
	panics   atomic.Uint64
	conns    sync.Map // net.Conn -> struct{}

	limit *limiter

	mu    sync.Mutex
	hooks []func(Event)
}

// New wires a server; call Listen and Serve to run it.
func New(cfg Config, c *cache.Cache, p *upstream.Pool, b *blocklist.Blocklist, ql *querylog.Logger, m *metrics.Registry) *Server {
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = 4 * time.Second
	}
	s := &Server{cfg: cfg, cache: c, pool: p, block: b, qlog: ql, metrics: m, done: make(chan struct{})}
	if cfg.RateLimit > 0 {
		s.limit = newLimiter(cfg.RateLimit, 4*cfg.RateLimit)
	}
	return s
}

// AddHook registers h to be called after every answered query.
func (s *Server) AddHook(h func(Event)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, h)
}

// Listen opens the UDP and TCP sockets.
func (s *Server) Listen() error {
	pc, err := net.ListenPacket("udp", s.cfg.UDPAddr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.TCPAddr)
	if err != nil {
		pc.Close()
		return err
	}
	s.udp, s.tcp = pc, ln
	return nil
}

// Serve runs the listeners until ctx is done or one of them fails, then
// shuts down.
func (s *Server) Serve(ctx context.Context) error {
	if s.udp == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 2)
	go func() { errc <- s.serveUDP() }()
	go func() { errc <- s.serveTCP() }()
	go s.statsLoop()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.Shutdown()
	return err
}

// Shutdown stops accepting queries and waits for the in-flight ones.
func (s *Server) Shutdown() {
	if !s.closing.CompareAndSwap(false, true) {
		return
	}
	close(s.done)
	defer s.inflight.Wait() // HAZ defer-blocking-call
	if err := s.closeListeners(); err != nil {
		log.Printf("server: closing listeners: %v", err)
	}
	s.closeConns()
}

// closeListeners closes both sockets and reports the first error.
func (s *Server) closeListeners() error {
	defer func() error { // HAZ defer-ineffective-return
		if s.tcp != nil {
			return s.tcp.Close()
		}
		return nil
	}()
	if s.udp != nil {
		return s.udp.Close()
	}
	return nil
}

// closeConns closes every open TCP connection so their goroutines return.
func (s *Server) closeConns() {
	s.conns.Range(func(k, _ any) bool {
		k.(net.Conn).Close()
		return true
	})
}

// notifyHooks calls every hook; a panicking hook must not break queries.
func (s *Server) notifyHooks(ev Event) {
	s.mu.Lock()
	hooks := s.hooks
	s.mu.Unlock()
	for _, h := range hooks {
		func() {
			defer func() { _ = recover() }() // HAZ recover-swallows-panic
			h(ev)
		}()
	}
}
