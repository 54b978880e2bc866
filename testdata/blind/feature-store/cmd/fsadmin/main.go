// Command fsadmin runs the admin API on its own, next to a read-only cache,
// for operators who want schema management without a serving node.
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

	"example.com/featurestore/internal/admin"
	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/schema"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7171", "listen address")
	schemaDir := flag.String("schemas", "schemas", "schema registry directory")
	grace := flag.Duration("grace", 10*time.Second, "shutdown grace period")
	flag.Parse()

	reg, err := schema.Open(*schemaDir)
	if err != nil {
		log.Fatalf("fsadmin: %v", err)
	}
	m := metrics.NewRegistry()
	store := cache.New(16, time.Hour, m)
	store.StartEvictor(time.Minute)
	defer store.Close()
	defer log.Printf("fsadmin: stopped (%s)", *addr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           admin.New(admin.Deps{Store: store, Schemas: reg, Metrics: m}).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("fsadmin: listening on %s", *addr)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("fsadmin: %v", err)
		}
		return
	case <-ctx.Done():
	}
	stop()

	// A second signal during the grace period means "now".
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		<-sigs
		log.Print("fsadmin: second signal, exiting without cleanup")
		os.Exit(1)
	}()
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Printf("fsadmin: shutdown: %v", err)
	}
}
