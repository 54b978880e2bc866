package proto

import (
	"bufio"
	"context"
	"net"
	"sync"
	"time"
)

// Session is one authenticated driver connection.
type Session struct {
	DriverID string

	conn         net.Conn
	writeTimeout time.Duration

	mu   sync.Mutex // guards w and acks
	w    *bufio.Writer
	acks map[string]chan bool
}

func newSession(driverID string, conn net.Conn, writeTimeout time.Duration) *Session {
	return &Session{
		DriverID:     driverID,
		conn:         conn,
		writeTimeout: writeTimeout,
		w:            bufio.NewWriter(conn),
		acks:         make(map[string]chan bool),
	}
}

// WriteLine sends one line with a bounded write deadline.
func (s *Session) WriteLine(line string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
		return err
	}
	if _, err := s.w.WriteString(line); err != nil {
		return err
	}
	if err := s.w.WriteByte('\n'); err != nil {
		return err
	}
	return s.w.Flush()
}

// WriteContext writes a line but stops waiting when ctx ends first.
func (s *Session) WriteContext(ctx context.Context, line string) error {
	errc := make(chan error)
	go func() {
		errc <- s.WriteLine(line) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Offer sends an offer line and waits for the driver's ACK or ctx.
func (s *Session) Offer(ctx context.Context, offerID, line string) (bool, error) {
	ch := make(chan bool, 1)
	s.mu.Lock()
	s.acks[offerID] = ch
	s.mu.Unlock()

	if err := s.WriteLine(line); err != nil {
		s.forget(offerID)
		return false, err
	}
	select {
	case ok := <-ch:
		return ok, nil
	case <-ctx.Done():
		s.forget(offerID)
		return false, ctx.Err()
	}
}

// resolve hands the driver's answer to the waiting Offer call. The entry is
// removed under the lock, so at most one value is ever sent on the
// one-slot channel.
func (s *Session) resolve(offerID string, accept bool) bool {
	s.mu.Lock()
	ch, ok := s.acks[offerID]
	delete(s.acks, offerID)
	s.mu.Unlock()
	if !ok {
		return false
	}
	ch <- accept
	return true
}

func (s *Session) forget(offerID string) {
	s.mu.Lock()
	delete(s.acks, offerID)
	s.mu.Unlock()
}

// Close closes the underlying connection.
func (s *Session) Close() error {
	return s.conn.Close()
}
