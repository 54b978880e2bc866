// Command api-server is the public key/value API. It drains connections and
// flushes the store when Kubernetes sends SIGTERM.
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

	"example.com/blindd/internal/svc"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dataDir := flag.String("data", "/var/lib/api-server", "state directory")
	flag.Parse()

	store, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("api-server: %v", err) // ok: nothing deferred yet
	}
	defer store.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	mux := http.NewServeMux()
	mux.Handle("/kv/", store.Handler())
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("api-server: listening on %s", *addr)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("api-server: %v", err)
		}
		return
	case <-ctx.Done():
		log.Print("api-server: shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("api-server: shutdown: %v", err)
	}
}
