// Package session manages device connections: one Session per connected
// device, each served by a reader and a writer goroutine.
package session

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"example.com/fleet/internal/protocol"
)

// Errors returned by Session methods.
var (
	ErrClosed  = errors.New("session: closed")
	ErrTimeout = errors.New("session: timed out")
)

// FrameHandler processes frames received from a device. It is called on
// the session's reader goroutine.
type FrameHandler interface {
	HandleFrame(s *Session, fr protocol.Frame)
}

// Session is one connected device.
type Session struct {
	id        string
	firmware  string
	conn      net.Conn
	handler   FrameHandler
	log       *log.Logger
	connected time.Time

	out       chan protocol.Frame
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup

	mu       sync.Mutex
	lastSeen time.Time
	seq      uint32
	pongs    map[uint32]chan struct{}
}

// Info is a read-only view of a session for operators.
type Info struct {
	ID        string    `json:"id"`
	Firmware  string    `json:"firmware"`
	Remote    string    `json:"remote"`
	Connected time.Time `json:"connected"`
	LastSeen  time.Time `json:"last_seen"`
}

func newSession(conn net.Conn, hello protocol.Hello, h FrameHandler, depth int, logger *log.Logger) *Session {
	now := time.Now()
	return &Session{
		id:        hello.DeviceID,
		firmware:  hello.Firmware,
		conn:      conn,
		handler:   h,
		log:       logger,
		connected: now,
		lastSeen:  now,
		out:       make(chan protocol.Frame, depth),
		done:      make(chan struct{}),
		pongs:     make(map[uint32]chan struct{}),
	}
}

// ID returns the device id.
func (s *Session) ID() string { return s.id }

// Done is closed when the session is closed.
func (s *Session) Done() <-chan struct{} { return s.done }

// start launches the reader and writer goroutines.
func (s *Session) start() {
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		s.readLoop()
	}()
	go func() {
		defer s.wg.Done()
		s.writeLoop()
	}()
}

// readLoop reads frames until the connection fails or the session closes.
func (s *Session) readLoop() {
	defer s.Close()
	defer s.recoverPanic("reader")
	br := bufio.NewReader(s.conn)
	for {
		fr, err := protocol.ReadFrame(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.log.Printf("session %s: read: %v", s.id, err)
			}
			return
		}
		s.touch()
		if fr.Type == protocol.TypePong {
			s.resolvePong(fr.Seq)
			continue
		}
		s.handler.HandleFrame(s, fr)
	}
}

// writeLoop writes queued frames, flushing whenever the queue runs empty.
func (s *Session) writeLoop() {
	defer s.Close()
	defer s.recoverPanic("writer")
	bw := bufio.NewWriter(s.conn)
	for {
		select {
		case <-s.done:
			return
		case fr := <-s.out:
			if err := protocol.WriteFrame(bw, fr); err != nil {
				s.log.Printf("session %s: write: %v", s.id, err)
				return
			}
			if len(s.out) > 0 {
				continue
			}
			if err := bw.Flush(); err != nil {
				s.log.Printf("session %s: flush: %v", s.id, err)
				return
			}
		}
	}
}

// recoverPanic is deferred by the session goroutines so that a bug in a
// frame handler drops one device instead of the whole server.
func (s *Session) recoverPanic(where string) {
	if r := recover(); r != nil {
		s.log.Printf("session %s: panic in %s: %v\n%s", s.id, where, r, debug.Stack())
	}
}

// Send queues fr for the writer goroutine.
func (s *Session) Send(ctx context.Context, fr protocol.Frame) error {
	select {
	case s.out <- fr:
		return nil
	case <-s.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Session) nextSeq() uint32 {
	s.mu.Lock()
	s.seq++
	n := s.seq
	s.mu.Unlock()
	return n
}

func (s *Session) touch() {
	s.mu.Lock()
	s.lastSeen = time.Now()
	s.mu.Unlock()
}

// LastSeen reports when the device last sent a frame.
func (s *Session) LastSeen() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSeen
}

func (s *Session) info() Info {
	return Info{
		ID:        s.id,
		Firmware:  s.firmware,
		Remote:    s.conn.RemoteAddr().String(),
		Connected: s.connected,
		LastSeen:  s.LastSeen(),
	}
}

// Ping sends a PING frame and waits for the matching PONG.
func (s *Session) Ping(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	seq := s.nextSeq()
	pong := make(chan struct{})
	s.mu.Lock()
	s.pongs[seq] = pong
	s.mu.Unlock()

	start := time.Now()
	if err := s.Send(ctx, protocol.Frame{Type: protocol.TypePing, Seq: seq}); err != nil {
		s.forgetPong(seq)
		return 0, err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-pong:
		return time.Since(start), nil
	case <-t.C:
		s.forgetPong(seq)
		return 0, ErrTimeout
	case <-ctx.Done():
		s.forgetPong(seq)
		return 0, ctx.Err()
	case <-s.done:
		s.forgetPong(seq)
		return 0, ErrClosed
	}
}

func (s *Session) resolvePong(seq uint32) {
	s.mu.Lock()
	ch, ok := s.pongs[seq]
	delete(s.pongs, seq)
	s.mu.Unlock()
	if ok {
		close(ch)
	}
}

func (s *Session) forgetPong(seq uint32) {
	s.mu.Lock()
	delete(s.pongs, seq)
	s.mu.Unlock()
}

// Close closes the connection; the reader and writer goroutines exit.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.closeErr = s.conn.Close()
	})
	return s.closeErr
}

// Wait blocks until the reader and writer goroutines have exited.
func (s *Session) Wait() { s.wg.Wait() }

// Kick queues a DISCONNECT frame, gives the writer up to grace to deliver
// it, and closes the session.
func (s *Session) Kick(reason byte, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := s.Send(ctx, protocol.Frame{Type: protocol.TypeDisconnect, Seq: s.nextSeq(), Payload: []byte{reason}})
	for err == nil && len(s.out) > 0 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// Disconnect drops a stalled device. The DISCONNECT frame is written
// straight to the socket because the writer goroutine is presumably stuck
// behind the device's full receive window.
func (s *Session) Disconnect(reason byte) {
	defer s.Close()
	defer s.conn.Write(protocol.Encode(protocol.Frame{Type: protocol.TypeDisconnect, Payload: []byte{reason}})) // HAZ defer-blocking-call
	s.log.Printf("session %s: disconnecting stalled device (reason %d)", s.id, reason)
}
