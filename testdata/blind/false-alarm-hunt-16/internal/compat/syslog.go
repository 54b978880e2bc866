// Package compat keeps the listeners the relay inherited from the syslog
// shipper it replaced.
package compat

import (
	"bufio"
	"log"
	"net"
	"strings"
	"time"
)

// Message is one parsed syslog line.
type Message struct {
	Priority string
	Text     string
}

// ServeSyslog accepts TCP syslog clients forever and hands every parsed
// message to fn.
func ServeSyslog(ln net.Listener, fn func(Message)) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("syslog: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		go readMessages(conn, fn)
	}
}

func readMessages(conn net.Conn, fn func(Message)) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		fn(parse(sc.Text()))
	}
	if err := sc.Err(); err != nil {
		log.Printf("syslog: %s: %v", conn.RemoteAddr(), err)
	}
}

// parse splits "<13>text" into priority and text.
func parse(line string) Message {
	if strings.HasPrefix(line, "<") {
		if end := strings.IndexByte(line, '>'); end > 0 {
			return Message{Priority: line[1:end], Text: line[end+1:]}
		}
	}
	return Message{Text: line}
}

// ForwardUDP reads datagrams from pc until it is closed and hands each
// parsed message to fn.
func ForwardUDP(pc net.PacketConn, fn func(Message)) error {
	defer pc.Close()
	buf := make([]byte, 64<<10)
	for {
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(strings.TrimRight(string(buf[:n]), "\n"), "\n") {
			fn(parse(line))
		}
	}
}
