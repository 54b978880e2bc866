// Command echobackend is the toy backend used by the docker-compose
// development setup: it echoes TCP on -tcp and answers /healthz over a
// unix socket that the sidecar health checker mounts.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
)

var served atomic.Int64

func main() {
	tcpAddr := flag.String("tcp", ":7000", "echo listen address")
	sock := flag.String("health-sock", "/run/echobackend/health.sock", "health socket path")
	name := flag.String("name", hostname(), "name reported by /healthz")
	flag.Parse()

	echoLn, err := net.Listen("tcp", *tcpAddr)
	if err != nil {
		log.Fatal(err)
	}
	healthLn, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*sock)
	defer healthLn.Close()

	go serveEcho(echoLn)

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok %s served=%d\n", *name, served.Load())
	})
	log.Printf("echobackend %s: echo on %s, health on %s", *name, *tcpAddr, *sock)
	if err := http.Serve(healthLn, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("health server: %v", err)
	}
}

// serveEcho echoes every connection. c is declared inside the loop body, so
// each goroutine has its own even under Go 1.21.
func serveEcho(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Printf("echo accept: %v", err)
			return
		}
		served.Add(1)
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "echobackend"
	}
	return h
}
