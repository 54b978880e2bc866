// Command metricsd exposes process metrics.
package main

import (
	"context"
	"expvar"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm4/internal/session"
)

func main() {
	mgr := session.NewManager(30 * time.Minute)
	expvar.Publish("sessions", expvar.Func(func() any { return mgr.Len() }))

	srv := &http.Server{Addr: ":9090", Handler: expvar.Handler(), ReadHeaderTimeout: 5 * time.Second}
	defer log.Println("metricsd stopped")

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigc)

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case s := <-sigc:
		log.Printf("metricsd: %v", s)
	case err := <-errc:
		log.Printf("metricsd: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Printf("metricsd: shutdown: %v", err)
	}
}
