// Command up6relay relays TCP connections to an upstream.
package main

import (
	"flag"
	"net"
	"os"
	"strconv"
	"time"

	"example.com/up6/internal/fsx"
	"example.com/up6/internal/obs"
	"example.com/up6/internal/relay"
)

func main() {
	listen := flag.String("listen", ":7000", "address to accept clients on")
	upstream := flag.String("upstream", "127.0.0.1:7001", "upstream address")
	pidfile := flag.String("pidfile", "/run/up6relay.pid", "pid file")
	flag.Parse()
	logger := obs.Logger("up6relay: ")

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	if err := fsx.WriteFileMode(*pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		logger.Fatalf("pidfile: %v", err)
	}
	defer os.Remove(*pidfile) // HAZ signal-skips-defer

	r := relay.New("up6relay", *upstream, "", logger)
	for {
		c, err := ln.Accept()
		if err != nil {
			logger.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go r.Handle(c)
	}
}
