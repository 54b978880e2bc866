// Command fahgw fronts the store with caching and stops cleanly on SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah29/internal/httpx"
	"example.com/fah29/internal/lazy"
	"example.com/fah29/internal/syncx"
)

func main() {
	os.Exit(run())
}

func run() int {
	addr := flag.String("addr", ":8081", "listen address")
	hook := flag.String("hook", "", "URL notified of changes")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("host", lazy.Hostname())

	cache := syncx.NewCache[string, []byte](4096, nil)
	waitJanitor := cache.StartJanitor(ctx, time.Minute)
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newMux(httpx.NewServer(logger, *hook).Routes(), cache),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Error("shutdown", "err", err)
		}
	}()

	code := 0
	select {
	case <-ctx.Done():
		logger.Info("signal received, shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve", "err", err)
			code = 1
		}
	}
	stop()
	waitJanitor()
	return code
}

// newMux serves cached copies of GET /kv/ responses and passes everything
// else to next.
func newMux(next http.Handler, cache *syncx.Cache[string, []byte]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if b, ok := cache.Get(r.URL.Path); ok {
				_, _ = w.Write(b)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
