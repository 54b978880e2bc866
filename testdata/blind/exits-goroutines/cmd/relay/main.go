// Command relay forwards webhooks to internal consumers. main only converts
// run's status into the process exit code; run owns all the cleanup.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindd/internal/svc"
)

func main() {
	os.Exit(run()) // ok: run has returned and its defers ran before os.Exit
}

func run() int {
	addr := flag.String("addr", ":8181", "listen address")
	dataDir := flag.String("data", "/var/lib/relay", "dead-letter store")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dead, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Printf("relay: %v", err)
		return 1
	}
	defer dead.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("relay: %v", err)
		return 1
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			dead.Put(r.URL.Path, b)
			w.WriteHeader(http.StatusAccepted)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("relay: %v", err)
			return 1
		}
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("relay: shutdown: %v", err)
	}
	return 0
}
