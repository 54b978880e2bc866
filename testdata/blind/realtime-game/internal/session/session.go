// Package session owns one player's connection: a reader goroutine that
// decodes frames and a writer goroutine that drains the outbox.
package session

import (
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"example.com/realtimegame/internal/protocol"
)

// Handler is called on the reader goroutine for every application frame.
type Handler func(s *Session, f protocol.Frame)

// Limiter bounds how many frames are processed concurrently server-wide.
type Limiter chan struct{}

// NewLimiter returns a limiter with n slots.
func NewLimiter(n int) Limiter { return make(Limiter, n) }

// acquire takes a slot and returns the function that gives it back.
func (l Limiter) acquire() func() {
	l <- struct{}{}
	return func() { <-l }
}

// Session is one connected player.
type Session struct {
	ID string

	conn         net.Conn
	handler      Handler
	out          chan protocol.Frame
	done         chan struct{}
	closeOnce    sync.Once
	wg           sync.WaitGroup
	limiter      Limiter
	readTimeout  time.Duration
	writeTimeout time.Duration

	mu       sync.RWMutex
	lastSeen time.Time
	rtt      time.Duration
	seq      uint32
}

// Option configures a session.
type Option func(*Session)

// WithLimiter makes the session take a limiter slot per handled frame.
func WithLimiter(l Limiter) Option { return func(s *Session) { s.limiter = l } }

// WithTimeouts overrides the per-frame read and write deadlines.
func WithTimeouts(read, write time.Duration) Option {
	return func(s *Session) {
		s.readTimeout, s.writeTimeout = read, write
	}
}

// New wraps conn; call Start to begin reading and writing.
func New(id string, conn net.Conn, h Handler, opts ...Option) *Session {
	s := &Session{
		ID:           id,
		conn:         conn,
		handler:      h,
		out:          make(chan protocol.Frame, 64),
		done:         make(chan struct{}),
		readTimeout:  15 * time.Second,
		writeTimeout: 5 * time.Second,
		lastSeen:     time.Now(),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Start launches the reader and writer goroutines.
func (s *Session) Start() {
	s.wg.Add(2)
	go s.readLoop()
	go s.writeLoop()
}

func (s *Session) readLoop() {
	defer s.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			// make sure the peer sees the connection drop, then crash loudly
			_ = s.Close()
			panic(p)
		}
	}()
	defer s.Close()
	for {
		if err := s.conn.SetReadDeadline(time.Now().Add(s.readTimeout)); err != nil {
			return
		}
		f, err := protocol.ReadFrame(s.conn)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) && !errors.Is(err, io.EOF) {
				log.Printf("session %s: read: %v", s.ID, err)
			}
			return
		}
		s.touch(time.Now())
		switch f.Kind {
		case protocol.KindPing:
			s.Send(protocol.Pong(f))
		case protocol.KindPong:
			s.handlePong(f)
		case protocol.KindBye:
			return
		default:
			s.dispatch(f)
		}
	}
}

func (s *Session) writeLoop() {
	defer s.wg.Done()
	ping := time.NewTicker(5 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-s.done:
			return
		case f := <-s.out:
			if err := s.write(f); err != nil {
				log.Printf("session %s: write: %v", s.ID, err)
				_ = s.Close()
				return
			}
		case now := <-ping.C:
			if err := s.write(protocol.Ping(s.nextSeq(), now)); err != nil {
				_ = s.Close()
				return
			}
		}
	}
}

func (s *Session) write(f protocol.Frame) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
		return err
	}
	return protocol.WriteFrame(s.conn, f)
}

// dispatch hands one frame to the handler, holding a limiter slot while it
// runs when a limiter is configured.
func (s *Session) dispatch(f protocol.Frame) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if s.limiter != nil {
		release = s.limiter.acquire()
	}
	s.handler(s, f)
}

// Send queues f for the writer; it drops the frame when the outbox is full.
func (s *Session) Send(f protocol.Frame) bool {
	select {
	case <-s.done:
		return false
	case s.out <- f:
		return true
	default:
		return false
	}
}

// Close tears the connection down; it is safe to call more than once.
func (s *Session) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.conn.Close()
	})
	return err
}

// Wait blocks until both goroutines have exited.
func (s *Session) Wait() { s.wg.Wait() }

// Done is closed when the session closes.
func (s *Session) Done() <-chan struct{} { return s.done }

// RemoteAddr is the peer address.
func (s *Session) RemoteAddr() string { return s.conn.RemoteAddr().String() }

func (s *Session) touch(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastSeen = now
}

// LastSeen is the time the last frame arrived.
func (s *Session) LastSeen() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastSeen
}

// RTT is the smoothed round-trip time.
func (s *Session) RTT() time.Duration {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return s.rtt
}

func (s *Session) setRTT(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rtt == 0 {
		s.rtt = d
		return
	}
	s.rtt = (7*s.rtt + d) / 8 // like TCP's SRTT
}

func (s *Session) nextSeq() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.seq
}

func (s *Session) handlePong(f protocol.Frame) {
	sent, ok := protocol.PingTime(f)
	if !ok {
		return
	}
	s.setRTT(time.Since(sent))
}
