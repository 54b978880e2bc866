// Command gateway is the TLS-terminating edge in front of the API pods: it
// proxies to the upstream and answers health checks itself.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah20/internal/health"
	"example.com/fah20/internal/middleware"
	"example.com/fah20/internal/web"
)

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	upstream := flag.String("upstream", "http://127.0.0.1:8080", "API upstream")
	cert := flag.String("cert", "tls/cert.pem", "certificate")
	key := flag.String("key", "tls/key.pem", "private key")
	flag.Parse()

	target, err := url.Parse(*upstream)
	if err != nil {
		log.Fatalf("gateway: upstream: %v", err)
	}
	logger := log.New(os.Stderr, "gateway ", log.LstdFlags|log.Lmsgprefix)

	checker := health.NewChecker(2 * time.Second)
	checker.Register("upstream", health.HTTPCheck(&http.Client{Timeout: time.Second}, target.JoinPath("healthz").String()))

	mux := http.NewServeMux()
	mux.Handle("/healthz", checker)
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	metrics := &middleware.Metrics{}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           web.Chain(metrics.Middleware("all", mux), middleware.Recovery(logger), middleware.Logger(logger)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	defer func() {
		for _, s := range metrics.Snapshot() {
			logger.Printf("route %s: %d requests, %d errors, mean %s", s.Route, s.Count, s.Errors, s.Mean)
		}
	}()

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM, os.Interrupt)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServeTLS(*cert, *key) }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("gateway: %v", err)
		}
		return
	case sig := <-sigc:
		logger.Printf("gateway: %s, draining", sig)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		logger.Printf("gateway: shutdown: %v", err)
	}
}
