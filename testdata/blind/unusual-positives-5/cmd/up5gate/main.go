// Command up5gate serves the HTTP API of an up5 store and shuts down
// cleanly on SIGINT/SIGTERM.
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

	"example.com/up5/internal/httpapi"
	"example.com/up5/internal/store"
)

func drainAudit(ctx context.Context, h *httpapi.Handler) {
	for {
		select {
		case line := <-h.Audit():
			log.Printf("audit: %s", line)
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	path := flag.String("store", "up5.db", "store file")
	upstream := flag.String("upstream", "http://127.0.0.1:8081", "proxy upstream")
	usage := flag.String("usage", "http://127.0.0.1:9090/usage", "usage endpoint")
	flag.Parse()
	st, err := store.Open(*path)
	if err != nil {
		log.Fatalf("up5gate: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("up5gate: flush on exit: %v", err)
		}
	}()
	h := httpapi.New(st, *upstream, *usage)
	go drainAudit(ctx, h)
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("up5gate: %v", err)
			stop()
		}
	}()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("up5gate: shutdown: %v", err)
	}
}
