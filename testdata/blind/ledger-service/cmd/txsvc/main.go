// Command txsvc runs the payments ledger HTTP service with its outbox
// publisher and audit trail.
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

	"example.com/txsvc/api"
	"example.com/txsvc/audit"
	"example.com/txsvc/idem"
	"example.com/txsvc/internal/obs"
	"example.com/txsvc/ledger"
	"example.com/txsvc/outbox"
)

func main() {
	os.Exit(run()) // ok: run's defers have finished before the exit
}

func run() int {
	addr := flag.String("addr", ":8080", "listen address")
	dsn := flag.String("dsn", "ledger", "database name")
	auditDir := flag.String("audit-dir", "audit", "audit log directory")
	flag.Parse()

	logger := log.New(os.Stderr, "txsvc: ", log.LstdFlags|log.Lmsgprefix)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	al, err := audit.Open(*auditDir, 64<<20)
	if err != nil {
		logger.Printf("audit: %v", err)
		return 1
	}
	defer func() {
		if err := al.Close(); err != nil {
			logger.Printf("audit close: %v", err)
		}
	}()

	metrics := obs.New()
	store, err := ledger.Open(ctx, *dsn, ledger.Options{Audit: al, Logger: logger, Metrics: metrics})
	if err != nil {
		logger.Printf("ledger: %v", err)
		return 1
	}
	defer store.Close()

	events := make(chan audit.Event, 1024)
	asyncDone := al.StartAsyncSafe(events)

	cache := idem.New(24*time.Hour, 100000)
	go cache.Janitor(ctx, time.Minute)

	pub := outbox.NewPublisher(store.DB(), outbox.NewWriterSink(os.Stdout), outbox.Options{Logger: logger})
	pub.Start(ctx)

	handler := api.NewServer(api.Config{
		Store:   store,
		Idem:    cache,
		Audit:   al,
		Events:  events,
		Logger:  logger,
		Timeout: 3 * time.Second,
	}).Routes()
	srv := &http.Server{Addr: *addr, Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", *addr)

	code := 0
	select {
	case <-ctx.Done():
		logger.Printf("shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serve: %v", err)
			code = 1
		}
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("shutdown: %v", err)
		code = 1
	}
	if err := pub.Stop(shutdownCtx); err != nil {
		logger.Printf("outbox stop: %v", err)
	}
	close(events)
	if err := <-asyncDone; err != nil {
		logger.Printf("audit writer: %v", err)
	}
	return code
}
