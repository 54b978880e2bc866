package gateway

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"
)

var errLoginTimeout = errors.New("gateway: login timeout")

// recoverConn keeps a panic in one connection from killing the gateway. It
// is deferred directly by each connection goroutine.
func (s *Server) recoverConn(where string, c net.Conn) {
	if r := recover(); r != nil {
		s.cfg.Logger.Printf("gateway: panic in %s for %s: %v\n%s", where, c.RemoteAddr(), r, debug.Stack())
	}
}

// handleConn runs one client connection: login, then a reader (this
// goroutine) and a writer goroutine joined before returning.
func (s *Server) handleConn(ctx context.Context, c net.Conn) {
	defer c.Close()
	defer s.recoverConn("reader", c)

	br := bufio.NewReaderSize(c, 4096)
	sess, err := s.login(ctx, c, br)
	if err != nil {
		s.refuse(c, "login failed: "+err.Error())
		return
	}
	s.track(sess)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan Message, s.cfg.OutQueue)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		defer s.recoverConn("writer", c)
		if err := s.writeLoop(c, out); err != nil {
			s.cfg.Logger.Printf("gateway: %s: write: %v", sess.id, err)
			cancel()
			_ = c.SetReadDeadline(time.Now()) // unblock the reader
		}
	}()

	err = s.readLoop(ctx, c, br, sess, out)
	close(out)
	<-writerDone
	s.endSession(sess, err)
	s.releaseSession(context.WithoutCancel(ctx), sess)
}

// login waits for the login message, at most LoginTimeout.
func (s *Server) login(ctx context.Context, c net.Conn, br *bufio.Reader) (*session, error) {
	type result struct {
		m   Message
		err error
	}
	ch := make(chan result)
	go func() {
		m, err := readMessage(br)
		ch <- result{m: m, err: err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(s.cfg.LoginTimeout)
	defer timer.Stop()
	var r result
	select {
	case r = <-ch:
	case <-timer.C:
		return nil, errLoginTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.m.Type != MsgLogin || r.m.Account == "" {
		return nil, fmt.Errorf("gateway: expected login, got %q", r.m.Type)
	}
	return newSession(c, r.m.Account, r.m.Text), nil
}

// readLoop decodes client messages and queues the replies for the writer.
func (s *Server) readLoop(ctx context.Context, c net.Conn, br *bufio.Reader, sess *session, out chan<- Message) error {
	for {
		if err := c.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout)); err != nil {
			return err
		}
		m, err := readMessage(br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		sess.msgs.Add(1)
		if m.Type == MsgLogout {
			return nil
		}
		for _, reply := range s.handle(ctx, sess, m) {
			select {
			case out <- reply:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// writeLoop sends queued replies, flushing whenever the queue runs dry.
func (s *Server) writeLoop(c net.Conn, out <-chan Message) error {
	bw := bufio.NewWriter(c)
	for m := range out {
		if err := c.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)); err != nil {
			return err
		}
		if err := writeMessage(bw, m); err != nil {
			return err
		}
		if len(out) == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func reject(m Message, err error) Message {
	return Message{Type: MsgReject, Symbol: m.Symbol, OrderID: m.OrderID, Text: err.Error()}
}

// handle executes one client message and returns the replies.
func (s *Server) handle(ctx context.Context, sess *session, m Message) []Message {
	switch m.Type {
	case MsgHeartbeat:
		return []Message{{Type: MsgHeartbeat}}
	case MsgNew:
		m.Account = sess.account
		o := m.order()
		trades, err := s.submitLimited(ctx, s.lim, o)
		if err != nil {
			return []Message{reject(m, err)}
		}
		if o.Remaining() > 0 {
			sess.open[o.ID] = o.Symbol
		}
		replies := []Message{{Type: MsgAck, Symbol: m.Symbol, OrderID: m.OrderID}}
		for _, t := range trades {
			replies = append(replies, Message{Type: MsgFill, Symbol: t.Symbol, OrderID: m.OrderID, Price: t.Price, Qty: t.Qty})
		}
		return replies
	case MsgCancel:
		ok, err := s.eng.Cancel(ctx, m.Symbol, m.OrderID)
		if err != nil {
			return []Message{reject(m, err)}
		}
		if !ok {
			return []Message{reject(m, errors.New("unknown order"))}
		}
		delete(sess.open, m.OrderID)
		return []Message{{Type: MsgAck, Symbol: m.Symbol, OrderID: m.OrderID, Text: "cancelled"}}
	}
	return []Message{{Type: MsgReject, Text: fmt.Sprintf("unsupported message %q", m.Type)}}
}

// refuse tells a client why it is being disconnected, then closes it.
func (s *Server) refuse(c net.Conn, reason string) {
	defer c.Close()
	defer c.Write([]byte("O|" + reason + "\n")) // HAZ defer-blocking-call
	s.cfg.Logger.Printf("gateway: refusing %s: %s", c.RemoteAddr(), reason)
}

// refuseBounded is refuse with a write deadline and no deferred write.
func (s *Server) refuseBounded(c net.Conn, reason string) {
	defer c.Close()
	s.cfg.Logger.Printf("gateway: refusing %s: %s", c.RemoteAddr(), reason)
	if err := c.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)); err != nil {
		return
	}
	_, _ = c.Write([]byte("O|" + reason + "\n"))
}
