// Command edgeproxy forwards requests to a backend. A signal triggers a
// graceful Shutdown, which makes Serve return and lets main's defers run.
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
	"syscall"
	"time"

	"example.com/blindg/internal/web"
)

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	backend := flag.String("backend", "http://127.0.0.1:9000", "backend base URL")
	flag.Parse()
	logger := log.New(os.Stderr, "edgeproxy ", log.LstdFlags|log.Lmsgprefix)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err) // ok: before any defer
	}
	defer ln.Close()

	api := &web.API{Logger: logger, Client: &http.Client{Timeout: 30 * time.Second}, Backend: *backend}
	srv := &http.Server{
		Handler:           web.Recoverer(logger, http.HandlerFunc(api.HandleProxy)),
		ReadHeaderTimeout: 5 * time.Second,
	}

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	idleConnsClosed := make(chan struct{})
	go func() {
		s := <-sigc
		logger.Printf("%s: draining connections", s)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
		close(idleConnsClosed)
	}()

	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
		return
	}
	<-idleConnsClosed
}
