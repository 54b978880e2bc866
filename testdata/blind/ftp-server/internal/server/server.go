// Package server implements the FTP-like control protocol: one goroutine
// per control connection running a command loop, passive data
// connections per transfer, quotas, rate limiting and graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/quota"
	"example.com/ftpsrv/internal/ratelimit"
	"example.com/ftpsrv/internal/session"
	"example.com/ftpsrv/internal/xferlog"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("server: closed")

// Config holds the tunables of a server.
type Config struct {
	Addr        string
	PublicHost  string // IPv4 announced in PASV replies; "" = local address
	PassiveMin  int
	PassiveMax  int
	IdleTimeout time.Duration
	DataTimeout time.Duration
	MaxSessions int
	RateLimit   int64 // bytes per second over all transfers; 0 = off
	UserRate    int64 // bytes per second per user; 0 = off
	Banner      string

	// OnUpload is called after every successful upload. It runs on the
	// session goroutine and must not block.
	OnUpload func(user, path string, size int64)
}

// Server is an FTP server.
type Server struct {
	cfg     Config
	users   *auth.Store
	quotas  *quota.Manager
	table   *session.Table
	ports   *portPool
	xfer    *xferlog.Logger
	limiter *ratelimit.Limiter
	perUser *ratelimit.Registry
	metrics *Metrics

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	closing   bool
	wg        sync.WaitGroup
}

// New validates cfg and builds a server. xfer may be nil.
func New(cfg Config, users *auth.Store, quotas *quota.Manager, xfer *xferlog.Logger) (*Server, error) {
	if cfg.PassiveMin <= 0 || cfg.PassiveMax < cfg.PassiveMin || cfg.PassiveMax > 65535 {
		return nil, fmt.Errorf("server: bad passive range %d-%d", cfg.PassiveMin, cfg.PassiveMax)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = 30 * time.Second
	}
	if cfg.Banner == "" {
		cfg.Banner = "ftpsrv ready"
	}
	s := &Server{
		cfg:       cfg,
		users:     users,
		quotas:    quotas,
		table:     session.NewTable(cfg.MaxSessions),
		ports:     newPortPool(cfg.PassiveMin, cfg.PassiveMax),
		xfer:      xfer,
		metrics:   new(Metrics),
		listeners: make(map[net.Listener]struct{}),
	}
	if cfg.RateLimit > 0 {
		s.limiter = ratelimit.New(cfg.RateLimit, max(cfg.RateLimit/10, 64<<10), 50*time.Millisecond)
	}
	if cfg.UserRate > 0 {
		s.perUser = ratelimit.NewRegistry(cfg.UserRate, max(cfg.UserRate/10, 16<<10), 50*time.Millisecond)
	}
	return s, nil
}

// Table exposes the session table to the admin endpoint.
func (s *Server) Table() *session.Table { return s.table }

// Metrics exposes per-command timings.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Serve accepts control connections on ln until ln is closed. Temporary
// accept errors (EMFILE) are retried with backoff.
func (s *Server) Serve(ln net.Listener) error {
	if !s.trackListener(ln, true) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.trackListener(ln, false)

	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				log.Printf("ftp: accept: %v; retrying in %s", err, backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.wg.Add(1)
		go s.handleConn(conn)
	}
}

// trackListener adds or removes ln from the set Shutdown closes. Adding
// fails once the server is shutting down.
func (s *Server) trackListener(ln net.Listener, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		if s.closing {
			return false
		}
		s.listeners[ln] = struct{}{}
		return true
	}
	delete(s.listeners, ln)
	return true
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Shutdown stops accepting, lets running sessions finish until ctx ends,
// then disconnects whoever is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	var errs []error
	for ln := range s.listeners {
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.table.CloseAll("Server shutting down")
		errs = append(errs, ctx.Err())
	}
	if s.limiter != nil {
		s.limiter.Stop()
	}
	return errors.Join(errs...)
}

// RunReaper disconnects idle sessions every interval until ctx ends.
func (s *Server) RunReaper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, id := range s.table.ReapIdle(s.cfg.IdleTimeout, now) {
				log.Printf("ftp: session %s idle, disconnected", id)
			}
		}
	}
}
