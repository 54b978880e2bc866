// Package server accepts TCP connections and runs one reader and one writer
// goroutine per client.
package server

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

	"example.com/chatserver/internal/chat"
	"example.com/chatserver/internal/ratelimit"
	"example.com/chatserver/internal/store"
)

// ErrClosed is returned by Shutdown when the server is already shutting down.
var ErrClosed = errors.New("server: closed")

// Config configures a Server.
type Config struct {
	SendQueue        int
	WriteTimeout     time.Duration
	IdleTimeout      time.Duration
	HandshakeTimeout time.Duration
	RatePerSec       float64
	Burst            int
	ConnsPerSecPerIP float64
	FlushEvery       time.Duration
	MaxSessions      int
}

// Server is the TCP front end of the chat daemon.
type Server struct {
	cfg     Config
	hub     *chat.Hub
	store   *store.Store
	metrics *Metrics
	ipLimit *ratelimit.Limiter

	lnMu sync.Mutex
	ln   net.Listener

	conns   sync.Map // net.Conn -> *chat.Client
	wg      sync.WaitGroup
	closing atomic.Bool
	active  atomic.Int64
	nextID  atomic.Uint64
}

// New returns a server for hub. st may be nil (no persistence).
func New(cfg Config, hub *chat.Hub, st *store.Store, m *Metrics) *Server {
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 5 * time.Second
	}
	if cfg.ConnsPerSecPerIP <= 0 {
		cfg.ConnsPerSecPerIP = 5
	}
	if m == nil {
		m = NewMetrics()
	}
	return &Server{
		cfg:     cfg,
		hub:     hub,
		store:   st,
		metrics: m,
		ipLimit: ratelimit.NewLimiter(cfg.ConnsPerSecPerIP, 10),
	}
}

func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Millisecond
	}
	if d *= 2; d > time.Second {
		d = time.Second
	}
	return d
}

func hostOf(addr net.Addr) string {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return host
}

// Serve accepts connections on ln until Shutdown closes it.
func (s *Server) Serve(ln net.Listener) error {
	s.lnMu.Lock()
	s.ln = ln
	s.lnMu.Unlock()
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = nextBackoff(backoff)
				log.Printf("chatd: accept: %v; retrying in %v", err, backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		if !s.ipLimit.Allow(hostOf(conn.RemoteAddr())) {
			s.metrics.rejected.Add(1)
			conn.Close()
			continue
		}
		s.metrics.accepted.Add(1)
		s.wg.Add(1)
		go s.serveConn(conn)
	}
}

// serveConn runs one client: the reader on this goroutine, the writer on
// another. A panic in a command handler must not take the daemon down.
func (s *Server) serveConn(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	defer s.recoverConn(conn)

	c := chat.NewClient(fmt.Sprintf("c%d", s.nextID.Add(1)), conn, s.cfg.SendQueue,
		ratelimit.NewBucket(s.cfg.RatePerSec, s.cfg.Burst))
	s.conns.Store(conn, c)
	defer s.conns.Delete(conn)

	if err := s.handshake(conn); err != nil {
		log.Printf("chatd: handshake with %s: %v", conn.RemoteAddr(), err)
		return
	}
	writerDone := make(chan error, 1)
	go func() { writerDone <- c.WriteLoop(s.cfg.WriteTimeout) }() // HAZ goroutine-outside-recover
	err := c.ReadLoop(s.hub, s.cfg.IdleTimeout)
	if err != nil && !errors.Is(err, io.EOF) && !s.closing.Load() {
		log.Printf("chatd: %s: read: %v", c.ID, err)
	}
	s.hub.Disconnect(c)
	c.Close()
	if werr := <-writerDone; werr != nil && !errors.Is(werr, net.ErrClosed) {
		log.Printf("chatd: %s: write: %v", c.ID, werr)
	}
}

// handshake greets the client within the handshake timeout.
func (s *Server) handshake(conn net.Conn) error {
	if err := conn.SetWriteDeadline(time.Now().Add(s.cfg.HandshakeTimeout)); err != nil {
		return err
	}
	_, err := io.WriteString(conn, "HELLO chatd/2 NICK JOIN PART MSG TYPING HISTORY PING QUIT\r\n")
	return err
}

// recoverConn is deferred by connection goroutines.
func (s *Server) recoverConn(conn net.Conn) {
	if r := recover(); r != nil {
		s.metrics.panics.Add(1)
		log.Printf("chatd: panic serving %s: %v\n%s", conn.RemoteAddr(), r, debug.Stack())
	}
}

// recoverLog is deferred by background loops.
func (s *Server) recoverLog(where string) {
	if r := recover(); r != nil {
		s.metrics.panics.Add(1)
		log.Printf("chatd: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// superviseHub runs the hub loop and restarts it after a panic.
func (s *Server) superviseHub(ctx context.Context) {
	defer s.recoverLog("hub supervisor")
	for ctx.Err() == nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer s.recoverLog("hub")
			s.hub.Run(ctx)
		}()
		<-done
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
			log.Printf("chatd: restarting hub loop")
		}
	}
}

// startFlusher periodically persists history; the returned func stops it
// and waits for the last flush.
func (s *Server) startFlusher(ctx context.Context) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer s.recoverLog("flusher")
		t := time.NewTicker(s.cfg.FlushEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.flushOnce(); err != nil {
					log.Printf("chatd: periodic flush: %v", err)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

func (s *Server) flushOnce() error {
	var errs []error
	for _, r := range s.hub.Rooms() {
		if err := s.store.SaveRoom(r.Name, r.History()); err != nil {
			errs = append(errs, fmt.Errorf("room %s: %w", r.Name, err))
		}
	}
	return errors.Join(errs...)
}

// Run serves on ln until ctx is cancelled, then shuts down gracefully and
// persists history.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	var stopFlusher func()
	if s.store != nil && s.cfg.FlushEvery > 0 {
		stopFlusher = s.startFlusher(ctx)
	}
	defer stopFlusher() // HAZ defer-nil-func

	go s.superviseHub(ctx)
	shutdownErr := make(chan error, 1)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shutdownErr <- s.Shutdown(sctx)
	}()
	if err := s.Serve(ln); err != nil {
		return err
	}
	return <-shutdownErr
}

// Shutdown stops accepting, tells everyone, waits for connections to end
// (or ctx to expire) and persists history.
func (s *Server) Shutdown(ctx context.Context) error {
	if !s.closing.CompareAndSwap(false, true) {
		return ErrClosed
	}
	s.lnMu.Lock()
	ln := s.ln
	s.lnMu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	s.hub.AnnounceAll("server shutting down", 500*time.Millisecond)
	s.conns.Range(func(k, _ any) bool {
		_ = k.(net.Conn).SetReadDeadline(time.Now())
		return true
	})
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.conns.Range(func(k, _ any) bool {
			_ = k.(net.Conn).Close()
			return true
		})
		return ctx.Err()
	}
	if s.store == nil {
		return nil
	}
	return s.persistRooms()
}

// persistRooms writes every room's history (shutdown path).
func (s *Server) persistRooms() error {
	var errs []error
	for _, r := range s.hub.Rooms() {
		msgs := r.History()
		defer func() { log.Printf("chatd: persisted %d messages of %s", len(msgs), r.Name) }() // HAZ defer-in-loop loop-var-capture
		if err := s.store.SaveRoom(r.Name, msgs); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// ActiveSessions returns the number of telnet-gateway sessions.
func (s *Server) ActiveSessions() int64 { return s.active.Load() }
