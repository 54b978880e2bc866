package server

import (
	"bufio"
	"fmt"
	"net"
	"strings"
)

// serveConn speaks the line protocol on one accepted connection.
func (s *Server) serveConn(conn net.Conn) {
	defer s.onDone() // HAZ defer-nil-func
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		cmd, arg, _ := strings.Cut(sc.Text(), " ")
		switch cmd {
		case "GET":
			if v, ok := s.cache.Get(arg); ok {
				fmt.Fprintf(conn, "VALUE %s\n", v)
				continue
			}
			fmt.Fprintln(conn, "MISS")
		case "QUIT":
			return
		default:
			fmt.Fprintf(conn, "ERR unknown command %q\n", cmd)
		}
	}
}

// serveConnHooked runs the optional hook only when it was configured.
func (s *Server) serveConnHooked(conn net.Conn) {
	if s.onDone != nil {
		defer s.onDone()
	}
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if v, ok := s.cache.Get(strings.TrimSpace(sc.Text())); ok {
			fmt.Fprintf(conn, "VALUE %s\n", v)
		} else {
			fmt.Fprintln(conn, "MISS")
		}
	}
}

// acceptLoop accepts line-protocol connections until ln is closed.
func (s *Server) acceptLoop(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.serveConnHooked(conn)
	}
}

// applyOp runs an admin operation and, whatever happens, its undo step.
func (s *Server) applyOp(kind string, run func() error) error {
	undo := s.undo[kind]
	defer undo() // HAZ defer-nil-func
	if err := run(); err != nil {
		return fmt.Errorf("op %s: %w", kind, err)
	}
	return nil
}

// applyKnownOp refuses unknown kinds before deferring their undo.
func (s *Server) applyKnownOp(kind string, run func() error) error {
	undo, ok := s.undo[kind]
	if !ok {
		return fmt.Errorf("op %s: unknown", kind)
	}
	defer undo()
	return run()
}

// applyWithCleanup runs the op with a cleanup that is never nil: it starts as
// a no-op and is only widened before the defer.
func (s *Server) applyWithCleanup(kind string, purge bool, run func() error) error {
	cleanup := func() {}
	if purge {
		cleanup = func() { s.log.Printf("op %s: purge complete", kind) }
	}
	defer cleanup()
	return run()
}
