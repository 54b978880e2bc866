package server

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime/debug"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

type tcpWriter struct {
	conn    net.Conn
	timeout time.Duration
}

func (w *tcpWriter) WriteMsg(m *dnsmsg.Msg) error {
	b, err := m.AppendPack([]byte{0, 0})
	if err != nil {
		return err
	}
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	if err := w.conn.SetWriteDeadline(time.Now().Add(w.timeout)); err != nil {
		return err
	}
	_, err = w.conn.Write(b)
	return err
}

func (w *tcpWriter) RemoteAddr() net.Addr { return w.conn.RemoteAddr() }

func (s *Server) serveTCP(ctx context.Context, ln net.Listener) error {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("server: tcp listener panic: %v\n%s", r, debug.Stack())
		}
	}()
	backoff := 5 * time.Millisecond
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(backoff)
				backoff = min(2*backoff, time.Second)
				continue
			}
			return err
		}
		backoff = 5 * time.Millisecond
		if !s.trackConn(c) {
			c.Close()
			continue
		}
		s.wg.Add(1)
		go s.serveTCPConn(ctx, c)
	}
}

func (s *Server) serveTCPConn(ctx context.Context, c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	defer s.recoverPanic("tcp connection")
	w := &tcpWriter{conn: c, timeout: s.writeTimeout}
	for {
		pkt, err := readTCPMsg(c, s.idleTimeout)
		if err != nil {
			break
		}
		q, err := dnsmsg.Unpack(pkt)
		if err != nil {
			s.metrics.Counter("tcp_malformed_total").Inc()
			break
		}
		if len(q.Question) == 1 && q.Question[0].Type == dnsmsg.TypeAXFR {
			if err := s.handleTransfer(c, q); err != nil {
				s.log.Printf("server: AXFR to %s: %v", c.RemoteAddr(), err)
			}
			break
		}
		s.dispatch(ctx, w, q)
	}
	s.untrackConn(c)
}

func readTCPMsg(c net.Conn, idle time.Duration) ([]byte, error) {
	if err := c.SetReadDeadline(time.Now().Add(idle)); err != nil {
		return nil, err
	}
	var lenBuf [2]byte
	if _, err := io.ReadFull(c, lenBuf[:]); err != nil {
		return nil, err
	}
	buf := make([]byte, binary.BigEndian.Uint16(lenBuf[:]))
	_, err := io.ReadFull(c, buf)
	return buf, err
}

// handleTransfer streams a zone to a secondary (AXFR, RFC 5936): the SOA,
// every record, and the SOA again, in messages of up to 100 records.
func (s *Server) handleTransfer(c net.Conn, q *dnsmsg.Msg) error {
	z, ok := s.zones.Get(q.Question[0].Name)
	if !ok {
		return s.rejectTCP(c, q, dnsmsg.RcodeRefused)
	}
	if !s.transferAllowed(c.RemoteAddr()) {
		s.log.Printf("server: AXFR of %s refused for %s", z.Origin, c.RemoteAddr())
		return s.rejectTCP(c, q, dnsmsg.RcodeRefused)
	}
	soa, ok := z.SOA()
	if !ok {
		return s.rejectTCP(c, q, dnsmsg.RcodeServFail)
	}
	if err := c.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(c, 64<<10)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	send := func(rrs []dnsmsg.RR) error {
		m := q.Reply()
		m.Authoritative = true
		m.Answer = rrs
		b, err := m.AppendPack([]byte{0, 0})
		if err != nil {
			return err
		}
		binary.BigEndian.PutUint16(b, uint16(len(b)-2))
		_, err = bw.Write(b)
		return err
	}
	if err := send([]dnsmsg.RR{soa}); err != nil {
		return err
	}
	var batch []dnsmsg.RR
	for _, rr := range z.Records() {
		if rr.Type == dnsmsg.TypeSOA {
			continue
		}
		if batch = append(batch, rr); len(batch) == 100 {
			if err := send(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := send(batch); err != nil {
			return err
		}
	}
	s.metrics.Counter("axfr_total").Inc()
	return send([]dnsmsg.RR{soa})
}

// rejectTCP answers q with rcode and closes the connection once the client
// has read the answer, so that it does not get a reset instead.
func (s *Server) rejectTCP(c net.Conn, q *dnsmsg.Msg, rcode dnsmsg.Rcode) error {
	defer s.drainAndClose(c) // HAZ defer-blocking-call
	w := &tcpWriter{conn: c, timeout: s.writeTimeout}
	return w.WriteMsg(q.ErrorReply(rcode))
}

// drainAndClose half-closes c and reads until the peer closes its side.
// The idle deadline is lifted: a slow client must still get to read the
// answer before the connection goes away.
func (s *Server) drainAndClose(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	c.SetReadDeadline(time.Time{})
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
	}
	c.Close()
}
