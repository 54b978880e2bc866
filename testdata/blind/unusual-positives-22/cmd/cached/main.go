// Command cached serves tiles from a local cache in front of the origin.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up22/internal/cache"
	"example.com/up22/internal/fetch"
	"example.com/up22/internal/server"
	"example.com/up22/internal/store"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "/var/lib/tiles", "data directory")
	origin := flag.String("origin", "http://origin.internal", "origin base URL")
	flag.Parse()

	logger := log.New(os.Stderr, "cached: ", log.LstdFlags|log.Lmsgprefix)
	st, err := store.Open(*dir, logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer st.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tiles := cache.New[string, []byte](10 * time.Minute)
	client := fetch.NewClient(*origin, tiles, logger)
	defer client.Close()
	srv := server.New(tiles, func(ctx context.Context, key string) ([]byte, error) {
		return client.FreshCtx(ctx, key, 2*time.Second)
	}, logger)
	defer srv.Stop()

	if err := serve(ctx, *addr, srv.Routes()); err != nil {
		die(logger, "serve: %v", err) // HAZ exit-skips-defer
	}
}

// serve runs the HTTP server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, addr string, h http.Handler) error {
	hs := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// die logs the message and exits with status 1.
func die(l *log.Logger, format string, args ...any) {
	l.Fatalf(format, args...)
}
