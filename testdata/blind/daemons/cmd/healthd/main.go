// Command healthd serves health and readiness for a set of TCP backends.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/daemons/proxy"
)

func main() {
	var (
		addr     = flag.String("addr", ":8081", "listen address")
		pidFile  = flag.String("pidfile", "/run/healthd.pid", "pid file")
		backends = flag.String("backends", "127.0.0.1:5432", "comma-separated backend addresses")
	)
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("healthd: %v", err) // ok: nothing deferred yet
	}
	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("healthd: pid file: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(*pidFile)

	p := &proxy.Proxy{DialTimeout: time.Second, Log: log.New(os.Stderr, "healthd ", log.LstdFlags)}
	for _, a := range strings.Split(*backends, ",") {
		p.Backends = append(p.Backends, &proxy.Backend{Addr: strings.TrimSpace(a)})
	}
	go p.RunHealthChecks(context.Background(), 5*time.Second)

	srv := &http.Server{Handler: p.HealthHandler(), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("healthd: %v", err)
	}
}
