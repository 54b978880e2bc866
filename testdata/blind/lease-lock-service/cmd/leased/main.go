// Command leased runs the lease and lock server.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/leaselock/internal/server"
)

func main() {
	var (
		addr      = flag.String("addr", ":7420", "client protocol address")
		adminAddr = flag.String("admin", "127.0.0.1:7421", "admin HTTP address")
		dataDir   = flag.String("data", "./data", "data directory")
		peers     = flag.String("peers", "", "comma-separated follower addresses")
		audit     = flag.String("audit", "", "audit log file (empty: none)")
		minTTL    = flag.Duration("min-ttl", time.Second, "smallest lease TTL granted")
		trace     = flag.Bool("trace", false, "record per-command latency")
	)
	flag.Parse()
	srv, err := server.New(server.Config{
		DataDir:       *dataDir,
		MinTTL:        *minTTL,
		Peers:         parsePeers(*peers),
		AuditPath:     *audit,
		TraceCommands: *trace,
		IdleTimeout:   5 * time.Minute,
	})
	if err != nil {
		log.Fatalf("leased: %v", err)
	}
	os.Exit(run(srv, *addr, *adminAddr))
}

func parsePeers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// run serves until SIGINT/SIGTERM or a listener failure, then shuts down
// gracefully. It returns the process exit code.
func run(srv *server.Server, addr, adminAddr string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Printf("leased: %v", err)
		return 1
	}
	admin := &http.Server{Addr: adminAddr, Handler: srv.AdminHandler(), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := admin.Shutdown(sctx); err != nil {
			log.Printf("leased: admin shutdown: %v", err)
		}
	}()

	srv.Start(ctx)
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	go func() { errc <- admin.ListenAndServe() }()
	log.Printf("leased: serving on %s (admin %s)", ln.Addr(), adminAddr)

	code := 0
	select {
	case <-ctx.Done():
		log.Printf("leased: signal received, shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, server.ErrServerClosed) {
			log.Printf("leased: %v", err)
			code = 1
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Printf("leased: shutdown: %v", err)
		return 1
	}
	return code
}
