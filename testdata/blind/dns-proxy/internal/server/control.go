package server

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

// ServeControl answers simple text commands ("stats", "flush", "reload",
// "quit") on ln, one client at a time.
func (s *Server) ServeControl(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			return err
		}
		defer c.Close() // HAZ defer-in-loop
		if err := s.handleControl(c); err != nil {
			log.Printf("control: %s: %v", c.RemoteAddr(), err)
		}
	}
}

// handleControl runs one control session.
func (s *Server) handleControl(c net.Conn) error {
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	defer c.Write([]byte("bye\n")) // HAZ defer-blocking-call
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		var reply string
		switch cmd := strings.TrimSpace(sc.Text()); cmd {
		case "stats":
			st := s.cache.Stats()
			reply = fmt.Sprintf("entries=%d expired=%d hit_ratio=%.3f panics=%d\n",
				st.Entries, st.Expired, st.HitRatio, s.panics.Load())
		case "flush":
			reply = fmt.Sprintf("flushed %d\n", s.cache.Purge())
		case "reload":
			if err := s.block.Reload(); err != nil {
				reply = "error: " + err.Error() + "\n"
			} else {
				reply = fmt.Sprintf("ok, %d domains\n", s.block.Size())
			}
		case "quit":
			return nil
		default:
			reply = "unknown command " + cmd + "\n"
		}
		if _, err := io.WriteString(c, reply); err != nil {
			return err
		}
	}
	return sc.Err()
}
