// Command ledgerd serves the ledger API and delivers merchant webhooks.
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

	"example.com/payments/api"
	"example.com/payments/idempotency"
	"example.com/payments/ledger"
	"example.com/payments/store"
	"example.com/payments/webhook"
)

type config struct {
	addr            string
	auditURL        string
	workers         int
	idempotencyTTL  time.Duration
	shutdownTimeout time.Duration
}

func loadConfig(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("ledgerd", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", ":8080", "listen address")
	fs.StringVar(&cfg.auditURL, "audit-url", "http://compliance.internal/v1/audit", "compliance audit endpoint")
	fs.IntVar(&cfg.workers, "webhook-workers", 8, "webhook delivery workers")
	fs.DurationVar(&cfg.idempotencyTTL, "idempotency-ttl", 24*time.Hour, "how long idempotency keys are kept")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 15*time.Second, "grace period for in-flight requests")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.workers < 1 {
		return config{}, fmt.Errorf("-webhook-workers must be at least 1, got %d", cfg.workers)
	}
	return cfg, nil
}

func main() {
	cfg, err := loadConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerd:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		log.Printf("ledgerd: %v", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	logger := log.New(os.Stderr, "ledgerd ", log.LstdFlags|log.Lmsgprefix)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	l := ledger.New(store.NewMemStore(), logger)
	idem := idempotency.New(cfg.idempotencyTTL, 1_000_000)
	go idem.RunJanitor(ctx, time.Minute)

	q := webhook.NewQueue(webhook.NewDeliverer(webhook.NewRegistry(), logger), 4096, logger)
	q.Start(ctx, cfg.workers)

	h := api.NewHandler(l, idem, logger, cfg.auditURL)
	go h.ShipAudit(ctx)
	srv := &http.Server{Addr: cfg.addr, Handler: h.Routes(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", cfg.addr)
	select {
	case err := <-errc:
		return fmt.Errorf("listen: %w", err)
	case <-ctx.Done():
	}

	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	q.Close()
	return nil
}
