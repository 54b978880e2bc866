// Package session manages one player's connection: a reader goroutine that
// decodes frames and hands them to a Handler, and a writer goroutine that
// drains an outbound queue so that slow clients never stall the tick loop.
package session

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gamesrv/internal/protocol"
)

// ErrClosed is returned by operations on a closed session.
var ErrClosed = errors.New("session: closed")

// Handler processes inbound frames. It runs on the reader goroutine.
type Handler interface {
	HandleFrame(s *Session, f protocol.Frame) error
}

// Session is one connected player.
type Session struct {
	id      string
	conn    net.Conn
	handler Handler
	logger  *log.Logger

	idleTimeout time.Duration
	pingEvery   time.Duration

	out       chan protocol.Frame
	closed    chan struct{}
	closeOnce sync.Once
	lastSeen  atomic.Int64
	dropped   atomic.Int64
}

// New wraps an authenticated connection.
func New(id string, conn net.Conn, h Handler, logger *log.Logger) *Session {
	s := &Session{
		id:          id,
		conn:        conn,
		handler:     h,
		logger:      logger,
		idleTimeout: 15 * time.Second,
		pingEvery:   5 * time.Second,
		out:         make(chan protocol.Frame, 64),
		closed:      make(chan struct{}),
	}
	s.lastSeen.Store(time.Now().UnixNano())
	return s
}

// ID returns the player id.
func (s *Session) ID() string { return s.id }

// Send queues f for the writer. It never blocks: a client that cannot keep
// up loses frames (state frames supersede each other anyway).
func (s *Session) Send(f protocol.Frame) bool {
	select {
	case <-s.closed:
		return false
	default:
	}
	select {
	case s.out <- f:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

// Close tears the session down; safe to call more than once.
func (s *Session) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.conn.Close()
	})
}

// Run starts the reader and writer and blocks until both have exited.
func (s *Session) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		errc <- s.readLoop(ctx)
	}()
	go func() {
		defer wg.Done()
		errc <- s.writeLoop(ctx)
	}()

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = ctx.Err()
	}
	cancel()
	s.Close()
	wg.Wait()
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Serve runs the session on the caller's goroutine; it is the entry point of
// the older single-listener deployment. Handler panics are turned into
// errors.
func (s *Session) Serve() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("session %s: handler panic: %v", s.id, r)
			s.Close()
		}
	}()
	go s.writeLoop(context.Background()) // HAZ goroutine-outside-recover
	return s.readLoop(context.Background())
}

func (s *Session) readLoop(ctx context.Context) error {
	br := bufio.NewReaderSize(s.conn, 8<<10)
	for {
		if err := s.conn.SetReadDeadline(time.Now().Add(s.idleTimeout)); err != nil {
			return err
		}
		f, err := protocol.ReadFrame(br)
		if err != nil {
			return err
		}
		s.lastSeen.Store(time.Now().UnixNano())
		if f.Type == protocol.TypePong {
			continue
		}
		if err := s.handler.HandleFrame(s, f); err != nil {
			return fmt.Errorf("session %s: %w", s.id, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func (s *Session) writeLoop(ctx context.Context) error {
	bw := bufio.NewWriter(s.conn)
	ping := time.NewTicker(s.pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return nil
		case f := <-s.out:
			if err := s.writeBatch(bw, f); err != nil {
				return err
			}
		case <-ping.C:
			if err := s.writeBatch(bw, protocol.Frame{Type: protocol.TypePing}); err != nil {
				return err
			}
		}
	}
}

// writeBatch writes f plus whatever else is already queued, then flushes
// once.
func (s *Session) writeBatch(bw *bufio.Writer, f protocol.Frame) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.idleTimeout)); err != nil {
		return err
	}
	if err := protocol.WriteFrame(bw, f); err != nil {
		return err
	}
	for n := len(s.out); n > 0; n-- {
		if err := protocol.WriteFrame(bw, <-s.out); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Kick tells the client why it is being disconnected and closes the session.
func (s *Session) Kick(reason string) {
	defer s.Close()
	defer s.sayGoodbye(reason) // HAZ defer-blocking-call
	s.logger.Printf("session %s: kicked: %s", s.id, reason)
}

// sayGoodbye writes a Bye frame straight to the connection, bypassing the
// outbound queue.
func (s *Session) sayGoodbye(reason string) {
	payload, _ := json.Marshal(map[string]string{"reason": reason})
	var buf bytes.Buffer
	if err := protocol.WriteFrame(&buf, protocol.Frame{Type: protocol.TypeBye, Payload: payload}); err != nil {
		return
	}
	if _, err := s.conn.Write(buf.Bytes()); err != nil {
		s.logger.Printf("session %s: goodbye: %v", s.id, err)
	}
}

// Disconnect is the polite version of Kick used at shutdown: the goodbye is
// bounded by a one second write deadline.
func (s *Session) Disconnect(reason string) {
	defer s.Close()
	if err := s.conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
		return
	}
	s.sayGoodbye(reason)
}

// Drain waits until the outbound queue is empty, the session closes or the
// timeout passes.
func (s *Session) Drain(timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for len(s.out) > 0 {
		select {
		case <-deadline.C:
			return fmt.Errorf("session %s: %d frames still queued", s.id, len(s.out))
		case <-s.closed:
			return ErrClosed
		case <-tick.C:
		}
	}
	return nil
}
