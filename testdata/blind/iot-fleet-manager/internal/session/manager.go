package session

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"sort"
	"sync"
	"time"

	"example.com/fleet/internal/protocol"
	"example.com/fleet/internal/trace"
)

// Config tunes a Manager.
type Config struct {
	HandshakeTimeout time.Duration
	QueueDepth       int
	Logger           *log.Logger
}

// Manager accepts device connections and keeps the table of live sessions.
type Manager struct {
	cfg     Config
	auth    protocol.Authenticator
	handler FrameHandler
	log     *log.Logger
	wg      sync.WaitGroup

	mu       sync.RWMutex
	sessions map[string]*Session
}

// NewManager returns a Manager that authenticates devices with auth and
// hands their frames to handler.
func NewManager(cfg Config, auth protocol.Authenticator, handler FrameHandler) *Manager {
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 10 * time.Second
	}
	if cfg.QueueDepth <= 0 {
		cfg.QueueDepth = 64
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Manager{
		cfg:      cfg,
		auth:     auth,
		handler:  handler,
		log:      logger,
		sessions: make(map[string]*Session),
	}
}

// Serve accepts connections on ln until ln is closed.
func (m *Manager) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		m.wg.Add(1)
		go m.handleConn(conn)
	}
}

func (m *Manager) handleConn(conn net.Conn) {
	defer m.wg.Done()
	hello, err := protocol.ServerHello(conn, m.auth, m.cfg.HandshakeTimeout)
	if err != nil {
		m.log.Printf("handshake from %s failed: %v", conn.RemoteAddr(), err)
		conn.Close()
		return
	}
	s := newSession(conn, hello, m.handler, m.cfg.QueueDepth, m.log)
	if old := m.register(s); old != nil {
		m.log.Printf("device %s reconnected from %s; dropping old session", s.id, conn.RemoteAddr())
		old.Kick(protocol.ReasonReplaced, time.Second)
	}
	s.start()
	s.Wait()
	m.unregister(s)
}

func (m *Manager) register(s *Session) (replaced *Session) {
	m.mu.Lock()
	defer m.mu.Unlock()
	replaced = m.sessions[s.id]
	m.sessions[s.id] = s
	return replaced
}

func (m *Manager) unregister(s *Session) {
	m.mu.Lock()
	if m.sessions[s.id] != s {
		m.mu.Unlock()
		return // a newer session for the same device took over
	}
	delete(m.sessions, s.id)
	m.mu.Unlock()
}

// Get returns the live session of a device.
func (m *Manager) Get(id string) (*Session, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sessions[id]
	return s, ok
}

// Count returns the number of live sessions.
func (m *Manager) Count() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.sessions)
}

func (m *Manager) list() []*Session {
	m.mu.RLock()
	out := make([]*Session, 0, len(m.sessions))
	for _, s := range m.sessions {
		out = append(out, s)
	}
	m.mu.RUnlock()
	return out
}

// Snapshot describes all live sessions, sorted by device id.
func (m *Manager) Snapshot() []Info {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Info, 0, m.Count()) // HAZ lock-reentry-under-defer
	for _, s := range m.sessions {
		out = append(out, s.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SendTo queues fr for the device id.
func (m *Manager) SendTo(ctx context.Context, id string, fr protocol.Frame) error {
	s, ok := m.Get(id)
	if !ok {
		return ErrClosed
	}
	return s.Send(ctx, fr)
}

// Broadcast queues fr for every live session and returns how many took it.
func (m *Manager) Broadcast(ctx context.Context, fr protocol.Frame) (sent int) {
	for _, s := range m.list() {
		if err := s.Send(ctx, fr); err == nil {
			sent++
		}
	}
	return sent
}

// Shutdown closes every session and waits, at most until ctx is done, for
// the connection goroutines to finish.
func (m *Manager) Shutdown(ctx context.Context) error {
	defer trace.Region("session.shutdown") // HAZ defer-func-result-not-called
	for _, s := range m.list() {
		s.Kick(protocol.ReasonShutdown, 200*time.Millisecond)
	}
	done := make(chan struct{})
	go func() {
		m.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
