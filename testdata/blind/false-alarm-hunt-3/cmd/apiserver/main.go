// Command apiserver serves the monitoring API and scrapes targets.
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

	"example.com/falsealarm3/monitoring/scrape"
)

func main() {
	addr := flag.String("listen", ":9090", "listen address")
	auditPath := flag.String("audit", "audit.log", "audit log file")
	flag.Parse()

	audit, err := os.OpenFile(*auditPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		log.Fatalf("open audit log: %v", err) // ok: before any defer
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := audit.Close(); err != nil {
			log.Printf("close audit log: %v", err) // ok: close error reported
		}
	}()

	scraper := &scrape.Scraper{Client: &http.Client{Timeout: 10 * time.Second}, Timeout: 10 * time.Second}
	pool := scrape.NewPool(scraper)
	ev := scrape.NewEvaluator(pool)
	api := scrape.NewAPI(pool, ev, 256)

	go pool.Run(ctx, 15*time.Second, func(err error) { log.Printf("scrape: %v", err) })
	go ev.Loop(ctx, 30*time.Second)
	go api.RunAuditWriter(ctx, audit)

	srv := &http.Server{Addr: *addr, Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()

	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM cancels ctx and shuts the server down
		log.Printf("serve: %v", err)
	}
	stop()
}
