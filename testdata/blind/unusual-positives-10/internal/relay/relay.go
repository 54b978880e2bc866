// Package relay is a small TCP relay with an on-disk spool directory that
// only one process may use at a time.
package relay

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"
)

// LockSpool takes the spool directory's lock file and returns the func that
// releases it. On error release is nil and there is nothing to release.
func LockSpool(dir string) (release func(), err error) {
	p := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spool %s is locked: %w", dir, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() {
		if err := os.Remove(p); err != nil {
			log.Printf("relay: release %s: %v", p, err)
		}
	}, nil
}

// Server relays every accepted connection to upstream.
type Server struct {
	upstream    string
	dialTimeout time.Duration
}

// NewServer returns a relay to upstream.
func NewServer(upstream string, dialTimeout time.Duration) *Server {
	return &Server{upstream: upstream, dialTimeout: dialTimeout}
}

// Serve accepts connections until ln fails.
func (s *Server) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.handle(conn)
	}
}

// handle copies in both directions until either side stops. The error
// channel has room for both copiers, so the one that finishes second never
// blocks after handle has returned.
func (s *Server) handle(conn net.Conn) {
	defer conn.Close()
	up, err := net.DialTimeout("tcp", s.upstream, s.dialTimeout)
	if err != nil {
		log.Printf("relay: dial %s: %v", s.upstream, err)
		return
	}
	defer up.Close()
	errc := make(chan error, 2)
	go func() {
		_, err := io.Copy(up, conn)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(conn, up)
		errc <- err
	}()
	if err := <-errc; err != nil {
		log.Printf("relay: %s: %v", conn.RemoteAddr(), err)
	}
}
