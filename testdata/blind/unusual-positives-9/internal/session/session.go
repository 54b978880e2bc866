// Package session speaks the relay's length-prefixed frame protocol over TCP.
package session

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"time"
)

const maxFrame = 1 << 20

// WriteFrame writes one frame: a 4-byte big-endian length and the payload.
func WriteFrame(w io.Writer, payload []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// ReadFrame reads one frame.
func ReadFrame(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("session: frame of %d bytes exceeds limit", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// Pool keeps idle upstream connections.
type Pool struct {
	addr        string
	idle        chan net.Conn
	dialTimeout time.Duration
}

// NewPool returns a pool for addr keeping at most size idle connections.
func NewPool(addr string, size int) *Pool {
	return &Pool{addr: addr, idle: make(chan net.Conn, size), dialTimeout: 5 * time.Second}
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get() (net.Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	return net.DialTimeout("tcp", p.addr, p.dialTimeout)
}

func (p *Pool) put(c net.Conn) {
	select {
	case p.idle <- c:
	default:
		c.Close()
	}
}

// CloseIdle closes every idle connection. It never waits.
func (p *Pool) CloseIdle() {
	for {
		select {
		case c := <-p.idle:
			c.Close()
		default:
			return
		}
	}
}

// Session is a single-use request/response exchange on one connection.
type Session struct {
	conn      net.Conn
	closeFn   func() // hands a pooled connection back; nil for direct sessions
	observers []func(event string)
	log       *log.Logger
}

// NewPooled takes a connection from p; it goes back to p when the session ends.
func NewPooled(p *Pool) (*Session, error) {
	c, err := p.Get()
	if err != nil {
		return nil, err
	}
	return &Session{conn: c, closeFn: func() { p.put(c) }, log: log.Default()}, nil
}

// NewDirect wraps a connection the caller dialled itself.
func NewDirect(c net.Conn) *Session {
	return &Session{conn: c, log: log.Default()}
}

// Observe registers fn to be told about session events.
func (s *Session) Observe(fn func(event string)) {
	s.observers = append(s.observers, fn)
}

// Exchange sends req and returns the reply. The session is used up afterwards: its
// connection is handed back when Exchange returns.
func (s *Session) Exchange(req []byte) ([]byte, error) {
	defer s.closeFn() // HAZ defer-nil-func
	s.fireHooks("exchange")
	if err := WriteFrame(s.conn, req); err != nil {
		return nil, err
	}
	return ReadFrame(s.conn)
}

// Call is Exchange bounded by timeout.
func (s *Session) Call(req []byte, timeout time.Duration) ([]byte, error) {
	defer s.release()
	s.emit("call")
	if err := s.conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if err := WriteFrame(s.conn, req); err != nil {
		return nil, err
	}
	return ReadFrame(s.conn)
}

// release ends the session for both pooled and direct sessions.
func (s *Session) release() {
	if s.closeFn != nil {
		_ = s.conn.SetDeadline(time.Time{})
		s.closeFn()
		return
	}
	s.conn.Close()
}

// Upgrade switches the session to streaming mode. The handshake reply must come
// within 30 seconds; afterwards the stream has no deadline.
func (s *Session) Upgrade(proto string) error {
	restore := func() {}
	defer restore() // HAZ defer-eager-evaluation
	if err := WriteFrame(s.conn, []byte("UPGRADE "+proto)); err != nil {
		return err
	}
	if err := s.conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return err
	}
	restore = func() { _ = s.conn.SetReadDeadline(time.Time{}) }
	reply, err := ReadFrame(s.conn)
	if err != nil {
		return err
	}
	if string(reply) != "OK" {
		return fmt.Errorf("session: upgrade to %s refused: %q", proto, reply)
	}
	return nil
}

// Ping checks the peer within timeout and leaves the connection without a deadline.
func (s *Session) Ping(timeout time.Duration) error {
	restore := func() {}
	defer func() { restore() }()
	if err := s.conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	restore = func() { _ = s.conn.SetDeadline(time.Time{}) }
	if err := WriteFrame(s.conn, []byte("PING")); err != nil {
		return err
	}
	reply, err := ReadFrame(s.conn)
	if err != nil {
		return err
	}
	if string(reply) != "PONG" {
		return errors.New("session: bad ping reply")
	}
	return nil
}

// fireHooks tells the observers about ev. Observers are best effort.
func (s *Session) fireHooks(ev string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// an observer failing must not break the exchange
		}
	}()
	for _, fn := range s.observers {
		fn(ev)
	}
}

// emit is fireHooks that keeps a record of misbehaving observers.
func (s *Session) emit(ev string) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("session: observer panicked on %q: %v", ev, r)
		}
	}()
	for _, fn := range s.observers {
		fn(ev)
	}
}

// WithConn runs fn on the session's connection. If fn panics the connection is closed,
// since its framing state is unknown, and the panic continues.
func (s *Session) WithConn(fn func(net.Conn) error) error {
	defer func() {
		if r := recover(); r != nil {
			s.conn.Close()
			panic(r)
		}
	}()
	return fn(s.conn)
}
