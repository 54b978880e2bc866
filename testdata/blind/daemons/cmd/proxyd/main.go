// Command proxyd is the TCP load balancer in front of the database replicas.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/daemons/proxy"
)

func main() {
	var (
		listen    = flag.String("listen", ":6432", "client listen address")
		adminSock = flag.String("admin-socket", "/run/proxyd/admin.sock", "admin console socket")
		health    = flag.String("health-addr", ":8082", "health endpoint address")
		backends  = flag.String("backends", "10.0.0.11:5432,10.0.0.12:5432", "comma-separated backends")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "proxyd ", log.LstdFlags|log.Lmicroseconds)

	adminLn, err := net.Listen("unix", *adminSock)
	if err != nil {
		log.Fatalf("proxyd: admin socket: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(*adminSock)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("proxyd: listen %s: %v", *listen, err) // HAZ exit-skips-defer
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	p := &proxy.Proxy{DialTimeout: 2 * time.Second, Log: logger}
	for _, a := range strings.Split(*backends, ",") {
		p.Backends = append(p.Backends, &proxy.Backend{Addr: strings.TrimSpace(a)})
	}
	go p.RunHealthChecks(ctx, 5*time.Second)
	go p.ServeAdmin(adminLn)

	hs := &http.Server{Addr: *health, Handler: p.HealthHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			logger.Printf("health server: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx) // ok: bounded by sctx
	}()

	if err := p.Serve(ctx, ln); err != nil {
		logger.Printf("serve: %v", err)
	}
	logger.Printf("all sessions closed, exiting")
}
