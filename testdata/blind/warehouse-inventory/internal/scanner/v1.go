package scanner

import (
	"bufio"
	"net"
	"strings"
	"time"
)

// ServeV1 is the accept loop for v1 handhelds, which open one connection per
// scan burst. It runs for the life of the process.
func (s *Server) ServeV1(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.Log.Printf("scanner v1: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if !s.admit(conn) {
			continue
		}
		go s.handleV1(conn)
	}
}

// handleV1 reads "BURST <payload>" lines until "END" and queues the decoded
// scans. The handheld waits for a BYE line before it powers its radio down.
func (s *Server) handleV1(conn net.Conn) {
	defer conn.Write([]byte("BYE\r\n")) // HAZ defer-blocking-call
	defer s.untrack(conn)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "END" {
			return
		}
		payload, ok := strings.CutPrefix(line, "BURST ")
		if !ok {
			s.Log.Printf("scanner v1: %s: unexpected line %q", conn.RemoteAddr(), line)
			continue
		}
		for _, ev := range decodeBurst(payload, time.Now()) {
			s.enqueue(ev)
		}
	}
}
