// Command apiserver serves the public API until SIGINT/SIGTERM, then shuts
// down within a bounded time.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindg/internal/web"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	backend := flag.String("backend", "http://127.0.0.1:9000", "backend base URL")
	flag.Parse()
	logger := log.New(os.Stderr, "apiserver ", log.LstdFlags|log.Lmsgprefix)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen %s: %v", *addr, err) // ok: no defer registered yet
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	api := &web.API{
		Logger:      logger,
		Client:      &http.Client{Timeout: 10 * time.Second},
		Backend:     *backend,
		MaxInflight: 512,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search", api.HandleSearch)
	mux.HandleFunc("POST /upload", api.HandleUpload)
	mux.HandleFunc("/", api.HandleProxy)

	srv := &http.Server{
		Handler:           web.Recoverer(logger, web.AccessLog(logger, mux)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case <-ctx.Done():
		logger.Print("signal received, shutting down")
	case err := <-errc:
		logger.Printf("serve: %v", err)
	}
}
