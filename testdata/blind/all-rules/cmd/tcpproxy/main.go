// Command tcpproxy forwards TCP connections to a backend.
package main

import (
	"io"
	"log"
	"net"
	"os"
	"strconv"
)

const backend = "10.0.0.5:5432"

func proxy(c net.Conn) {
	defer c.Close()
	b, err := net.Dial("tcp", backend)
	if err != nil {
		log.Printf("dial backend: %v", err)
		return
	}
	defer b.Close()
	go func() { _, _ = io.Copy(b, c) }()
	_, _ = io.Copy(c, b)
}

func main() {
	pidFile := "/run/tcpproxy.pid"
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("pid file: %v", err)
	}
	defer os.Remove(pidFile)

	ln, err := net.Listen("tcp", ":6432")
	if err != nil {
		log.Printf("listen: %v", err)
		return
	}
	defer ln.Close()

	for { // HAZ signal-skips-defer
		c, err := ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		go proxy(c)
	}
}
