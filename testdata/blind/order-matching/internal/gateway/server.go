package gateway

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"example.com/matching/internal/book"
)

// Engine is the part of the matching engine the gateway needs.
type Engine interface {
	Submit(ctx context.Context, o *book.Order) ([]book.Trade, error)
	Cancel(ctx context.Context, sym string, id uint64) (bool, error)
}

// Risk runs pre-trade checks.
type Risk interface {
	Check(o *book.Order) error
}

// Config configures a Server.
type Config struct {
	LoginTimeout time.Duration
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
	OutQueue     int
	Logger       *log.Logger
}

// Event is a session lifecycle notification for the admin monitor.
type Event struct {
	Kind    string
	Account string
	Remote  string
	At      time.Time
	Err     error
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("gateway: server closed")

// Server is the order-entry gateway.
type Server struct {
	cfg  Config
	eng  Engine
	risk Risk

	mu       sync.Mutex
	sessions map[string]*session
	ln       net.Listener
	closed   bool
	wg       sync.WaitGroup

	events  chan Event
	onClose map[string]func(SessionInfo)
	lim     *limiter
}

// NewServer returns a gateway routing orders to eng after risk checks.
func NewServer(cfg Config, eng Engine, risk Risk) *Server {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.OutQueue <= 0 {
		cfg.OutQueue = 64
	}
	return &Server{
		cfg:      cfg,
		eng:      eng,
		risk:     risk,
		sessions: make(map[string]*session),
		events:   make(chan Event),
		onClose:  make(map[string]func(SessionInfo)),
		lim:      newLimiter(32),
	}
}

// Events is the stream of session logins and logouts. The admin monitor
// must keep reading it.
func (s *Server) Events() <-chan Event { return s.events }

// OnClose registers the hook run when a session of the given kind ends.
// It must be called before Serve.
func (s *Server) OnClose(kind string, fn func(SessionInfo)) {
	s.onClose[kind] = fn
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Serve accepts connections on ln until ctx is done or Shutdown is called.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()

	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || s.isClosed() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return fmt.Errorf("gateway: accept: %w", err)
		}
		if s.isClosed() {
			s.refuseBounded(c, "server shutting down")
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handleConn(ctx, c)
		}()
	}
}

// Shutdown closes the listener and every session, then waits for the
// connection goroutines to finish.
func (s *Server) Shutdown() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.wg.Wait() // HAZ defer-blocking-call
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for _, sess := range s.sessions {
		_ = sess.conn.Close()
	}
	return err
}

// Drain is the bounded variant of Shutdown: it closes everything, releases
// the lock, and waits for the handlers at most until ctx is done.
func (s *Server) Drain(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	if s.ln != nil {
		_ = s.ln.Close()
	}
	for _, sess := range s.sessions {
		_ = sess.conn.Close()
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
		return fmt.Errorf("gateway: drain: %w", ctx.Err())
	}
}

// ListenAndServe listens on addr and serves until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("gateway: listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// StartListeners starts one accept loop per address (e.g. one per NIC). It
// stops at the first address that cannot be bound and reports it.
func (s *Server) StartListeners(ctx context.Context, addrs []string) error {
	var (
		i         int
		listenErr error
	)
	for i = 0; i < len(addrs); i++ {
		ln, err := net.Listen("tcp", addrs[i])
		if err != nil {
			listenErr = err
			break
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.Serve(ctx, ln); err != nil {
				s.cfg.Logger.Printf("gateway: listener %s: %v", addrs[i], err) // HAZ loop-var-capture
			}
		}()
	}
	if listenErr != nil {
		return fmt.Errorf("gateway: listen %s: %w", addrs[i], listenErr)
	}
	return nil
}

// Accepting reports the number of live sessions and whether new ones are
// still accepted.
func (s *Server) Accepting() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions), !s.isClosed() // HAZ lock-reentry-under-defer
}

// Status is Accepting without re-locking: it reads the flag directly.
func (s *Server) Status() (sessions int, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions), s.closed
}

// Broadcast sends an administrative message to every session, holding each
// session's write lock so it does not interleave with other direct writes.
func (s *Server) Broadcast(m Message) int {
	sent := 0
	for _, sess := range s.snapshotSessions() {
		sess.writeMu.Lock()
		defer sess.writeMu.Unlock() // HAZ defer-in-loop
		if err := sess.conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)); err != nil {
			continue
		}
		if _, err := fmt.Fprintf(sess.conn, "%c|%s\n", m.Type, m.Text); err == nil {
			sent++
		}
	}
	return sent
}

// PingAll sends a heartbeat to every session and returns the ids of those
// that accepted it within timeout.
func (s *Server) PingAll(timeout time.Duration) []string {
	live := s.snapshotSessions()
	ok := make(chan string, len(live))
	defer close(ok) // HAZ defer-close-chan-with-sender
	for _, sess := range live {
		go func() {
			if err := sess.sendDirect(Message{Type: MsgHeartbeat, Text: "ping"}); err == nil {
				ok <- sess.id
			}
		}()
	}
	var alive []string
	deadline := time.After(timeout)
	for range live {
		select {
		case id := <-ok:
			alive = append(alive, id)
		case <-deadline:
			return alive
		}
	}
	return alive
}
