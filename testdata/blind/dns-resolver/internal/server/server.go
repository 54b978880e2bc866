// Package server runs the DNS listeners (UDP and TCP), the query handler and
// the HTTP admin API.
package server

import (
	"context"
	"log"
	"net"
	"net/netip"
	"runtime/debug"
	"sync"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/zone"
)

// ResponseWriter sends the reply to one query.
type ResponseWriter interface {
	WriteMsg(m *dnsmsg.Msg) error
	RemoteAddr() net.Addr
}

// Handler answers queries.
type Handler interface {
	ServeDNS(ctx context.Context, w ResponseWriter, q *dnsmsg.Msg)
}

// Config configures a Server.
type Config struct {
	Addr         string
	Handler      Handler
	Zones        *zone.Store
	TransferACL  []netip.Prefix
	Metrics      *metrics.Registry
	Log          *log.Logger
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
}

// Server serves DNS over UDP and TCP on the same address.
type Server struct {
	addr         string
	handler      Handler
	zones        *zone.Store
	transferACL  []netip.Prefix
	metrics      *metrics.Registry
	log          *log.Logger
	idleTimeout  time.Duration
	writeTimeout time.Duration

	mu           sync.Mutex
	pc           net.PacketConn
	ln           net.Listener
	conns        map[net.Conn]struct{}
	shuttingDown bool

	wg sync.WaitGroup
}

// New returns a server for cfg.
func New(cfg Config) *Server {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 5 * time.Second
	}
	return &Server{
		addr:         cfg.Addr,
		handler:      cfg.Handler,
		zones:        cfg.Zones,
		transferACL:  cfg.TransferACL,
		metrics:      cfg.Metrics,
		log:          cfg.Log,
		idleTimeout:  cfg.IdleTimeout,
		writeTimeout: cfg.WriteTimeout,
		conns:        make(map[net.Conn]struct{}),
	}
}

// ListenAndServe opens the UDP and TCP listeners and serves until ctx is
// done or a listener fails. Call Shutdown afterwards to drain connections.
func (s *Server) ListenAndServe(ctx context.Context) error {
	pc, err := net.ListenPacket("udp", s.addr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		pc.Close()
		return err
	}
	s.mu.Lock()
	s.pc, s.ln = pc, ln
	s.mu.Unlock()

	errc := make(chan error, 2)
	go func() { errc <- s.serveUDP(ctx, pc) }()
	go func() { errc <- s.serveTCP(ctx, ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

// Shutdown closes the listeners and open connections and waits for the
// in-flight queries, at most until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shuttingDown = true
	if s.pc != nil {
		s.pc.Close()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	for c := range s.conns {
		c.Close()
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

// trackConn registers an accepted TCP connection so that Shutdown can close
// it. It refuses new connections once shutdown has begun.
func (s *Server) trackConn(c net.Conn) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.shuttingDown {
		return false
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	return true
}

func (s *Server) untrackConn(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// OpenConns returns the number of open TCP connections.
func (s *Server) OpenConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// recoverPanic is deferred directly by every connection goroutine: a bug in
// one query must not take the listener down.
func (s *Server) recoverPanic(where string) {
	if r := recover(); r != nil {
		s.metrics.Counter("panics_total").Inc()
		s.log.Printf("server: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// handlePanic answers SERVFAIL for a query whose handler panicked.
func (s *Server) handlePanic(w ResponseWriter, q *dnsmsg.Msg) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.metrics.Counter("panics_total").Inc()
		s.log.Printf("server: handler panic for %v: %v\n%s", q.Question, r, debug.Stack())
		if err := w.WriteMsg(q.ErrorReply(dnsmsg.RcodeServFail)); err != nil {
			s.log.Printf("server: write SERVFAIL: %v", err)
		}
	}
}

// dispatch hands one query to the handler.
func (s *Server) dispatch(ctx context.Context, w ResponseWriter, q *dnsmsg.Msg) {
	start := time.Now()
	lat := s.metrics.Histogram("tcp_query")
	defer func() { lat.Observe(time.Since(start)) }()
	defer func() {
		s.handlePanic(w, q)
	}()
	s.handler.ServeDNS(ctx, w, q)
}

func (s *Server) transferAllowed(addr net.Addr) bool {
	ip := clientAddr(addr)
	for _, p := range s.transferACL {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientAddr extracts the IP address of a UDP or TCP peer.
func clientAddr(a net.Addr) netip.Addr {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.AddrPort().Addr().Unmap()
	case *net.TCPAddr:
		return a.AddrPort().Addr().Unmap()
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
