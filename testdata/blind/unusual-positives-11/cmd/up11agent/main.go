// Command up11agent pushes local shard files to the relay and serves a
// health endpoint; it shuts down cleanly on SIGINT and SIGTERM.
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

	"example.com/up11/internal/store"
)

func main() {
	os.Exit(run())
}

func run() int {
	addr := flag.String("addr", ":8081", "health listen address")
	dir := flag.String("dir", "/var/lib/up11", "shard directory")
	flag.Parse()
	logger := log.New(os.Stderr, "up11agent ", log.LstdFlags)

	st, err := store.Open(*dir, []string{"events", "audit"})
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer func() {
		if err := st.Checkpoint(); err != nil {
			logger.Printf("final checkpoint: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	hs := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()
	if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
		return 1
	}
	<-shutdownDone
	return 0
}
