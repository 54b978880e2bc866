package server

import (
	"fmt"
	"log"
	"net"
	"time"
)

// ListenHealth opens the load-balancer probe port. Every probe connection
// gets one status line.
func (s *Server) ListenHealth(addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	go serveHealth(ln, s.healthStatus)
	return ln.Addr(), nil
}

// healthStatus is the line probes see.
func (s *Server) healthStatus() string {
	if s.isClosing() {
		return "421 draining"
	}
	return fmt.Sprintf("220 ok sessions=%d", s.table.Len())
}

// serveHealth answers probes for the life of the process.
func serveHealth(ln net.Listener, status func() string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Printf("health: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		fmt.Fprintf(c, "%s\r\n", status())
	}
}
