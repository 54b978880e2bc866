// Command cached serves the build cache over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up21/internal/blob"
	"example.com/up21/internal/fetch"
	"example.com/up21/internal/lease"
)

var exit = os.Exit

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "/var/cache/up21", "cache directory")
	upstream := flag.String("upstream", "", "upstream cache URL")
	flag.Parse()
	if *upstream == "" {
		fmt.Fprintln(os.Stderr, "cached: -upstream is required")
		exit(2)
	}
	l, err := lease.Acquire(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cached:", err)
		exit(1)
	}
	exit(serve(*addr, *upstream, l))
}

// serve runs the server until SIGINT or SIGTERM and returns the exit code.
func serve(addr, upstream string, l *lease.Lease) int {
	defer l.Release()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ix := blob.NewIndex(8 << 30)
	audit := fetch.NewAudit(os.Stdout, 1024)
	h := fetch.NewHandler(ix, fetch.NewUpstream(upstream, 5*time.Second), audit)
	srv := &http.Server{Addr: addr, Handler: h.Routes(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("cached: %v", err)
			return 1
		}
		return 0
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		log.Printf("cached: shutdown: %v", err)
		return 1
	}
	return 0
}
