// Command forged serves the shared remote cache. It shuts down cleanly on
// SIGINT/SIGTERM: in-flight requests finish, then the store persists its
// index.
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

	"example.com/fah28/internal/server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "forged:", err)
		os.Exit(1)
	}
}

// run serves until a termination signal arrives or the listener fails.
func run() (err error) {
	addr := flag.String("addr", ":8420", "listen address")
	dir := flag.String("dir", "/var/lib/forged", "store directory")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "forged: ", log.LstdFlags)
	store, err := server.Open(*dir, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()

	srv := &http.Server{Addr: *addr, Handler: store.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", *addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
