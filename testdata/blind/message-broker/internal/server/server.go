// Package server is the broker's TCP front end: it accepts connections and
// runs a reader and a writer goroutine for each.
package server

import (
	"context"
	"errors"
	"log"
	"net"
	"sort"
	"sync"
	"time"

	"example.com/messagebroker/internal/ack"
	"example.com/messagebroker/internal/group"
	"example.com/messagebroker/internal/metrics"
	"example.com/messagebroker/internal/protocol"
	"example.com/messagebroker/internal/topic"
)

var errTooManyConns = errors.New("server: too many connections")

// Config configures a Server.
type Config struct {
	MaxConns     int
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
	OutboxSize   int
}

// Server serves the broker protocol.
type Server struct {
	cfg    Config
	topics *topic.Registry
	groups *group.Coordinator
	acks   *ack.Tracker

	mu         sync.Mutex
	conns      map[*conn]struct{}
	closeHooks map[string]func()
	ln         net.Listener
	nextID     uint64

	wg      sync.WaitGroup
	closing chan struct{}
	active  *metrics.Gauge
}

// New returns a server.
func New(cfg Config, topics *topic.Registry, groups *group.Coordinator, acks *ack.Tracker) *Server {
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 1024
	}
	if cfg.OutboxSize <= 0 {
		cfg.OutboxSize = 64
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	return &Server{
		cfg:        cfg,
		topics:     topics,
		groups:     groups,
		acks:       acks,
		conns:      make(map[*conn]struct{}),
		closeHooks: make(map[string]func()),
		closing:    make(chan struct{}),
		active:     metrics.Default.Gauge("server_connections"),
	}
}

// OnClose registers a hook run when the named listener is closed.
func (s *Server) OnClose(name string, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeHooks[name] = fn
}

// Serve accepts connections until the listener is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	for {
		nc, err := ln.Accept()
		if err != nil {
			select {
			case <-s.closing:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		c := newConn(s, nc)
		if err := s.register(c); err != nil {
			log.Printf("server: reject %s: %v", nc.RemoteAddr(), err)
			nc.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
			c.cleanup()
		}()
	}
}

func (s *Server) register(c *conn) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if len(s.conns) >= s.cfg.MaxConns {
		return errTooManyConns
	}
	s.nextID++
	c.id = s.nextID
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.active.Inc()
	return nil
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	_, ok := s.conns[c]
	delete(s.conns, c)
	s.mu.Unlock()
	if ok {
		s.active.Dec()
	}
}

func (s *Server) snapshotConns() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// ConnCount returns the number of open connections.
func (s *Server) ConnCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeListener closes the named listener and runs its close hook.
func (s *Server) closeListener(name string) error {
	s.mu.Lock()
	hook := s.closeHooks[name]
	ln := s.ln
	s.mu.Unlock()
	defer hook() // HAZ defer-nil-func
	if ln == nil {
		return nil
	}
	return ln.Close()
}

// closeListenerSafe checks the hook before deferring it.
func (s *Server) closeListenerSafe(name string) error {
	s.mu.Lock()
	hook, ok := s.closeHooks[name]
	ln := s.ln
	s.mu.Unlock()
	if ok && hook != nil {
		defer hook()
	}
	if ln == nil {
		return nil
	}
	return ln.Close()
}

// Shutdown stops accepting, closes every connection and waits for the
// connection goroutines until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	close(s.closing)
	if err := s.closeListenerSafe("main"); err != nil && !errors.Is(err, net.ErrClosed) {
		log.Printf("server: close listener: %v", err)
	}
	for _, c := range s.snapshotConns() {
		c.close()
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
		return ctx.Err()
	}
}

// Drain closes the listener without running hooks; used by tests.
func (s *Server) Drain() error {
	return s.closeListener("drain")
}

// Broadcast sends f to every connection and returns how many accepted it.
func (s *Server) Broadcast(f protocol.Frame) int {
	conns := s.snapshotConns()
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for _, c := range conns {
		wg.Add(1)
		go func() {
			if err := c.send(f); err != nil {
				return
			}
			mu.Lock()
			sent++
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return sent
}

// Notify sends f to every connection, counting failures too.
func (s *Server) Notify(f protocol.Frame) (ok, failed int) {
	conns := s.snapshotConns()
	results := make(chan error, len(conns))
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- c.send(f)
		}()
	}
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			failed++
		} else {
			ok++
		}
	}
	return ok, failed
}

// ConnStats describes one connection.
type ConnStats struct {
	ID     uint64 `json:"id"`
	Remote string `json:"remote"`
	Sent   int64  `json:"sent"`
	Recv   int64  `json:"recv"`
	Subs   int    `json:"subscriptions"`
}

// CollectStats gathers per-connection statistics, giving up after timeout.
func (s *Server) CollectStats(timeout time.Duration) []ConnStats {
	conns := s.snapshotConns()
	ch := make(chan ConnStats, len(conns))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, c := range conns {
		go func() {
			ch <- c.stats()
		}()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var out []ConnStats
	for range conns {
		select {
		case st := <-ch:
			out = append(out, st)
		case <-deadline.C:
			return out
		}
	}
	return out
}

// Stats gathers per-connection statistics synchronously.
func (s *Server) Stats() []ConnStats {
	conns := s.snapshotConns()
	out := make([]ConnStats, 0, len(conns))
	for _, c := range conns {
		out = append(out, c.stats())
	}
	return out
}
