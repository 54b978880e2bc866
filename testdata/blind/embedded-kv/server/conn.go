package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"
)

// addConn registers a new connection, enforcing MaxConns. It holds mu so
// that a connection is never added after Close has swept the map.
func (s *Server) addConn(c net.Conn) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closed {
		return ErrServerClosed
	}
	if s.opts.MaxConns > 0 && int(s.nconns.Load()) >= s.opts.MaxConns {
		s.mu.Unlock()
		return errTooManyConns
	}
	s.conns.Store(c, struct{}{})
	s.nconns.Add(1)
	s.mu.Unlock()
	return nil
}

func (s *Server) removeConn(c net.Conn) {
	if _, loaded := s.conns.LoadAndDelete(c); loaded {
		s.nconns.Add(-1)
	}
}

// recoverConn is deferred by serveConn: a panic in a handler drops that
// connection instead of the whole server.
func (s *Server) recoverConn(conn net.Conn) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.log.Printf("panic serving %s: %v\n%s", conn.RemoteAddr(), r, debug.Stack())
	}
}

func isBenignReadErr(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (s *Server) serveConn(conn net.Conn) {
	defer s.wg.Done()
	defer s.removeConn(conn)
	defer conn.Close()
	defer s.recoverConn(conn)

	br := bufio.NewReaderSize(conn, maxLineLen)
	bw := bufio.NewWriter(conn)
	for {
		if s.opts.IdleTimeout > 0 {
			conn.SetReadDeadline(time.Now().Add(s.opts.IdleTimeout))
		}
		req, err := readRequest(br)
		if err != nil {
			if errors.Is(err, errProtocol) {
				errorf("ERR %v", err).encode(bw)
				bw.Flush()
			} else if !isBenignReadErr(err) {
				s.log.Printf("read from %s: %v", conn.RemoteAddr(), err)
			}
			return
		}
		switch req.cmd {
		case "QUIT":
			okReply.encode(bw)
			bw.Flush()
			return
		case "DUMP":
			var prefix []byte
			if len(req.args) > 0 {
				prefix = req.args[0]
			}
			if err := bw.Flush(); err != nil {
				return
			}
			if err := s.serveDump(conn, prefix); err != nil {
				s.log.Printf("dump to %s: %v", conn.RemoteAddr(), err)
			}
			return
		}
		if err := s.execute(req).encode(bw); err != nil {
			return
		}
		// Flush once the client's pipeline is drained.
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				return
			}
		}
	}
}

// serveDump streams every pair with the prefix and closes the
// connection; used by replicas and kvcli dump.
func (s *Server) serveDump(conn net.Conn, prefix []byte) error {
	bw := bufio.NewWriterSize(conn, 64<<10)
	defer bw.Flush() // HAZ defer-order-inverted
	defer conn.Close()

	n := 0
	err := s.db.ForEach(prefix, func(k, v []byte) error {
		n++
		return writeBulkPair(bw, k, v)
	})
	if err != nil {
		fmt.Fprintf(bw, "-ERR dump failed after %d keys: %v\r\n", n, err)
		return err
	}
	fmt.Fprintf(bw, ":%d\r\n", n)
	return bw.Flush()
}

// execute runs one command and its after-hook.
func (s *Server) execute(req request) reply {
	defer s.after[req.cmd](req) // HAZ defer-nil-func
	return s.dispatch(req)
}

func (s *Server) dispatch(req request) reply {
	h, ok := s.commands[req.cmd]
	if !ok {
		return errorf("ERR unknown command '%s'", req.cmd)
	}
	return h(req.args)
}
