package server

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"time"
)

// serveTCP accepts connections and serves each one in its own goroutine.
func (s *Server) serveTCP() (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			err = fmt.Errorf("tcp accept loop panic: %v", r)
		}
	}()
	for {
		c, aerr := s.tcp.Accept()
		if aerr != nil {
			if s.closing.Load() {
				return nil
			}
			return aerr
		}
		s.conns.Store(c, struct{}{})
		s.inflight.Add(1)
		go s.serveConn(c)
	}
}

// serveConn answers pipelined queries on one connection until the client
// goes idle or away.
func (s *Server) serveConn(c net.Conn) {
	defer s.inflight.Done()
	defer s.conns.Delete(c)
	defer c.Close()
	defer s.recoverConn(c)
	for {
		if err := c.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout)); err != nil {
			return
		}
		q, err := readTCPMsg(c)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.QueryTimeout)
		resp := s.answer(ctx, q, c.RemoteAddr().String(), "tcp")
		cancel()
		if resp == nil {
			continue
		}
		if err := writeTCPMsg(c, resp); err != nil {
			return
		}
	}
}

// recoverConn is deferred by serveConn: a bug in the query path drops the
// connection instead of the process.
func (s *Server) recoverConn(c net.Conn) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		log.Printf("server: panic serving %s: %v\n%s", c.RemoteAddr(), r, debug.Stack())
	}
}

// readTCPMsg reads one length-prefixed message.
func readTCPMsg(r io.Reader) ([]byte, error) {
	var lenBuf [2]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint16(lenBuf[:])
	if n < 12 {
		return nil, fmt.Errorf("server: tcp message of %d bytes", n)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// writeTCPMsg writes one length-prefixed message.
func writeTCPMsg(w io.Writer, msg []byte) error {
	frame := make([]byte, 2, 2+len(msg))
	binary.BigEndian.PutUint16(frame, uint16(len(msg)))
	_, err := w.Write(append(frame, msg...))
	return err
}

// finishConn sends the last answers of a zone-style multi-message reply
// and closes the connection.
func finishConn(conn net.Conn, msgs [][]byte) error {
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	for _, m := range msgs {
		if err := writeTCPMsg(bw, m); err != nil {
			return err
		}
	}
	return nil
}
