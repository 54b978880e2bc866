// Command hubsock serves the hub's status on a local unix socket for the
// shell tools of field technicians.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	path := flag.String("socket", "/run/edgehub/status.sock", "unix socket path")
	statusFile := flag.String("status", "/run/edgehub/status.txt", "status file written by the hub")
	flag.Parse()

	ln, err := net.Listen("unix", *path)
	if err != nil {
		log.Fatalf("hubsock: %v", err)
	}
	defer os.Remove(*path)
	defer ln.Close()

	for { // HAZ signal-skips-defer
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("hubsock: accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		go serve(conn, *statusFile)
	}
}

// serve answers "status" and "ping" requests on one connection.
func serve(conn net.Conn, statusFile string) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		switch strings.TrimSpace(sc.Text()) {
		case "ping":
			fmt.Fprintln(conn, "pong")
		case "status":
			data, err := os.ReadFile(statusFile)
			if err != nil {
				fmt.Fprintln(conn, "error:", err)
				continue
			}
			conn.Write(data)
		case "quit":
			return
		default:
			fmt.Fprintln(conn, "unknown command")
		}
	}
}
