// Command unsubd is the stand-alone unsubscribe endpoint for deployments
// that run it separately from newsletterd (e.g. at the edge). It saves the
// store on SIGTERM before exiting.
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

	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
	"example.com/newsletter/internal/web"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	snapPath := flag.String("snapshot", "/var/lib/newsletter/subscribers.json", "subscriber snapshot")
	flag.Parse()

	st := subscribers.NewStore([]byte(os.Getenv("NEWSLETTER_SECRET")))
	if err := subscribers.LoadLatest(*snapPath, st); err != nil {
		log.Fatalf("unsubd: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := subscribers.WriteSnapshot(*snapPath, st); err != nil {
			log.Printf("unsubd: final snapshot: %v", err)
		}
	}()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           web.NewServer(st, templates.NewRenderer("templates", ""), log.Default(), web.Options{}).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("unsubd: shutdown: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("unsubd: %v", err)
		stop()
	}
	<-shutdownDone
}
