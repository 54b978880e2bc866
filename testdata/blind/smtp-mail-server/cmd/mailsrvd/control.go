package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"time"

	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
	"example.com/mailsrv/internal/smtpd"
)

// serveControl answers one-line commands on the local control socket for
// the lifetime of the process.
func serveControl(ln net.Listener, h func(cmd string) string) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("mailsrvd: control: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		handleControl(conn, h)
	}
}

func logRecovered(what string, p any) {
	if p != nil {
		log.Printf("mailsrvd: %s: recovered from panic: %v", what, p)
	}
}

func handleControl(conn net.Conn, h func(cmd string) string) {
	defer logRecovered("control command", recover()) // HAZ recover-ineffective
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	fmt.Fprintln(conn, h(strings.TrimSpace(line)))
}

func controlHandler(m *metrics.Counters, r *queue.Runner, srv *smtpd.Server) func(string) string {
	return func(cmd string) string {
		switch cmd {
		case "stats":
			return m.Snapshot().String()
		case "flush":
			r.Kick()
			return "ok"
		case "conns":
			return fmt.Sprint(srv.ActiveConns())
		case "inflight":
			return fmt.Sprint(len(r.Inflight()))
		default:
			return "unknown command " + cmd
		}
	}
}
