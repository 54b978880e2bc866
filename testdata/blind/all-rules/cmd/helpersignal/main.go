// Command helpersignal serves metrics; a helper installs the SIGTERM handler.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func installSignalHandler(srv *http.Server) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()
}

func main() {
	pid := "/run/helpersignal.pid"
	if err := os.WriteFile(pid, []byte("1\n"), 0o644); err != nil {
		log.Fatalf("pid file: %v", err)
	}
	defer os.Remove(pid)

	srv := &http.Server{Addr: ":9100", Handler: http.NotFoundHandler(), ReadHeaderTimeout: time.Second}
	installSignalHandler(srv)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: handled by installSignalHandler
		log.Printf("serve: %v", err)
	}
}
