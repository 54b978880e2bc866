package server

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"time"

	"example.com/chatserver/internal/chat"
	"example.com/chatserver/internal/ratelimit"
)

// This file holds the pre-2.0 connection handling that is still used by the
// telnet gateway (-legacy-accept and -telnet). It predates serveConn.

// ServeLegacy is the original accept loop.
func (s *Server) ServeLegacy(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("chatd: legacy accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		s.wg.Add(1)
		go s.serveLegacyConn(conn)
	}
}

// session runs a client over conn until it leaves; the writer goroutine is
// joined before returning.
func (s *Server) session(conn net.Conn) error {
	c := chat.NewClient(fmt.Sprintf("t%d", s.nextID.Add(1)), conn, s.cfg.SendQueue,
		ratelimit.NewBucket(s.cfg.RatePerSec, s.cfg.Burst))
	writerDone := make(chan error, 1)
	go func() { writerDone <- c.WriteLoop(s.cfg.WriteTimeout) }()
	err := c.ReadLoop(s.hub, s.cfg.IdleTimeout)
	s.hub.Disconnect(c)
	c.Close()
	if werr := <-writerDone; err == nil || err == io.EOF {
		err = werr
	}
	return err
}

func (s *Server) serveLegacyConn(conn net.Conn) {
	if err := s.handshake(conn); err != nil {
		log.Printf("chatd: legacy handshake with %s: %v", conn.RemoteAddr(), err)
		conn.Close()
		return
	}
	if err := s.session(conn); err != nil {
		log.Printf("chatd: legacy session %s: %v", conn.RemoteAddr(), err)
	}
	conn.Close()
	s.wg.Done() // HAZ waitgroup-done-path
}

// ServeTelnet accepts telnet-gateway connections, at most cfg.MaxSessions at
// a time.
func (s *Server) ServeTelnet(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			return err
		}
		s.wg.Add(1)
		go s.servePooled(conn)
	}
}

func (s *Server) servePooled(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	if n := s.active.Add(1); s.cfg.MaxSessions > 0 && n > int64(s.cfg.MaxSessions) {
		s.active.Add(-1)
		fmt.Fprintf(conn, "ERR server full, try later\r\n")
		s.wg.Done() // HAZ waitgroup-done-path
		return
	}
	defer s.active.Add(-1)
	if err := s.handshake(conn); err != nil {
		return
	}
	if err := s.session(conn); err != nil {
		log.Printf("chatd: telnet session %s: %v", conn.RemoteAddr(), err)
	}
}

// serveGateway is the current telnet handler: Done is deferred first, so
// every path, including panics, releases the WaitGroup exactly once.
func (s *Server) serveGateway(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	if err := s.handshake(conn); err != nil {
		return
	}
	if err := s.session(conn); err != nil {
		log.Printf("chatd: gateway session %s: %v", conn.RemoteAddr(), err)
	}
}

// ServeGateway accepts telnet-gateway connections with serveGateway.
func (s *Server) ServeGateway(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			return err
		}
		s.wg.Add(1)
		go s.serveGateway(conn)
	}
}

// reportPanic logs a panic from one of the legacy loops.
func reportPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("chatd: %s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// runLegacyHub runs the hub loop for the legacy gateway and marks the server
// as closing when the loop stops.
func (s *Server) runLegacyHub(ctx context.Context) {
	defer func() {
		reportPanic("legacy hub")
		s.closing.Store(true)
	}()
	s.hub.Run(ctx)
}

// StartLegacy starts the legacy hub loop and accept loop in the background.
func (s *Server) StartLegacy(ctx context.Context, ln net.Listener) {
	go s.runLegacyHub(ctx)
	go s.ServeLegacy(ln)
}
