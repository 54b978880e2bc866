// Package server is the relay's TCP front end: it accepts connections,
// speaks the line protocol and hands traffic to the hub.
package server

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatrelay/internal/history"
	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/metrics"
	"example.com/chatrelay/internal/ratelimit"
	"example.com/chatrelay/internal/room"
)

// ErrClosed is returned by Serve after Shutdown.
var ErrClosed = errors.New("server: closed")

// Config tunes the front end.
type Config struct {
	Addr           string
	IdleTimeout    time.Duration
	Keepalive      time.Duration
	MaxLine        int
	QueueLen       int
	MaxPerIP       int
	MsgRate        float64
	MsgBurst       int
	Persisters     int
	HousekeepEvery time.Duration
	MOTDPath       string
	SessionLog     *log.Logger
}

// Server is the TCP relay.
type Server struct {
	cfg     Config
	hub     *hub.Hub
	rooms   *room.Registry
	store   *history.Store
	limiter *ratelimit.Limiter
	metrics *metrics.Registry
	slots   *ipSlots // nil when MaxPerIP is 0
	journal *sessionJournal

	mu      sync.Mutex
	ln      net.Listener
	closing bool
	quit    chan struct{}

	conns  sync.Map       // net.Conn -> struct{}
	wg     sync.WaitGroup // connection handlers
	bg     sync.WaitGroup // history writers and housekeeping
	queues []chan persistJob

	nextID   uint64
	sessions int64
	active   int64
	messages int64
	rejected int64
	panics   int64
}

// Stats are the server's counters.
type Stats struct {
	Sessions, Active, Messages, Rejected, Panics int64
}

// New returns a server. Call Start, then Serve or ListenAndServe.
func New(cfg Config, h *hub.Hub, rooms *room.Registry, store *history.Store, m *metrics.Registry) *Server {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.Keepalive <= 0 {
		cfg.Keepalive = cfg.IdleTimeout / 2
	}
	if cfg.HousekeepEvery <= 0 {
		cfg.HousekeepEvery = time.Minute
	}
	s := &Server{
		cfg:     cfg,
		hub:     h,
		rooms:   rooms,
		store:   store,
		limiter: ratelimit.New(cfg.MsgRate, cfg.MsgBurst),
		metrics: m,
		journal: &sessionJournal{log: cfg.SessionLog},
		quit:    make(chan struct{}),
	}
	if cfg.MaxPerIP > 0 {
		s.slots = newIPSlots(cfg.MaxPerIP)
	}
	return s
}

// Start launches the background writers and housekeeping.
func (s *Server) Start(ctx context.Context) {
	s.startPersisters(s.cfg.Persisters)
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.housekeeping(ctx, s.cfg.HousekeepEvery)
	}()
}

// ListenAndServe listens on the configured address and serves.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve accepts connections on ln until ctx is done or Shutdown is called.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return ErrClosed
	}
	s.ln = ln
	s.mu.Unlock()
	defer s.Stats().Log("relay: stopped serving") // HAZ defer-call-chain
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ctx.Done():
			ln.Close()
		case <-stop:
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || s.isClosing() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		atomic.AddInt64(&s.sessions, 1)
		s.conns.Store(conn, struct{}{})
		s.wg.Add(1)
		go s.handleConn(ctx, conn)
	}
}

// Stats returns the current counters.
func (s *Server) Stats() Stats {
	return Stats{
		Sessions: atomic.LoadInt64(&s.sessions),
		Active:   atomic.LoadInt64(&s.active),
		Messages: atomic.LoadInt64(&s.messages),
		Rejected: atomic.LoadInt64(&s.rejected),
		Panics:   atomic.LoadInt64(&s.panics),
	}
}

// Log writes the counters to the standard logger.
func (st Stats) Log(prefix string) {
	log.Printf("%s: sessions=%d active=%d messages=%d rejected=%d panics=%d",
		prefix, st.Sessions, st.Active, st.Messages, st.Rejected, st.Panics)
}
