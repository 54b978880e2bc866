package session

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"example.com/realtimegame/internal/protocol"
)

// Handshake reads and validates the client's hello within timeout.
func Handshake(conn net.Conn, timeout time.Duration) (protocol.Hello, error) {
	var h protocol.Hello
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return h, err
	}
	defer conn.SetReadDeadline(time.Time{})
	f, err := protocol.ReadFrame(conn)
	if err != nil {
		return h, fmt.Errorf("handshake: %w", err)
	}
	if f.Kind != protocol.KindHello {
		return h, fmt.Errorf("handshake: expected hello, got %s", f.Kind)
	}
	if err := protocol.DecodeJSON(f, &h); err != nil {
		return h, err
	}
	return h, h.Validate()
}

// Shutdown tells the client why it is being disconnected, then closes the
// session.
func (s *Session) Shutdown(reason string) {
	bye, err := protocol.EncodeJSON(protocol.KindBye, s.nextSeq(), protocol.Bye{Reason: reason})
	if err != nil {
		_ = s.Close()
		return
	}
	buf, err := bye.MarshalBinary()
	if err != nil {
		_ = s.Close()
		return
	}
	n := s.drainOutbox(250 * time.Millisecond)
	// the goodbye must not be cut short by a stale per-frame deadline
	_ = s.conn.SetWriteDeadline(time.Time{})
	defer s.Close()
	defer s.conn.Write(buf) // HAZ defer-blocking-call
	log.Printf("session %s: shutting down (%s), flushed %d queued frames", s.ID, reason, n)
}

// drainOutbox writes whatever is still queued, giving up after budget.
func (s *Session) drainOutbox(budget time.Duration) int {
	deadline := time.Now().Add(budget)
	n := 0
	for time.Now().Before(deadline) {
		select {
		case f := <-s.out:
			if err := s.write(f); err != nil {
				return n
			}
			n++
		default:
			return n
		}
	}
	return n
}

// SendBatch writes several frames with a single flush, bypassing the outbox;
// used for the initial world download after joining.
func (s *Session) SendBatch(frames []protocol.Frame) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(s.conn, 32<<10)
	for _, f := range frames {
		if err := protocol.WriteFrame(bw, f); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Finish runs the handler for a final frame (the player's last input before a
// graceful disconnect) and then tears the connection down exactly once.
func (s *Session) Finish(last protocol.Frame) {
	defer func() {
		s.closeOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("session %s: handler panicked on final frame: %v", s.ID, r)
			}
			close(s.done)
			_ = s.conn.Close()
		})
	}()
	s.handler(s, last)
}

// ShutdownAll says goodbye to many sessions in parallel.
func ShutdownAll(sessions []*Session, reason string) {
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Add(1)
		go s.shutdownAsync(&wg, reason)
	}
	wg.Wait()
}

func (s *Session) shutdownAsync(wg *sync.WaitGroup, reason string) {
	defer wg.Done()
	s.Shutdown(reason)
}
