// Command gatewayd runs the payment gateway API.
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

	"example.com/paymentgateway/internal/api"
	"example.com/paymentgateway/internal/audit"
	"example.com/paymentgateway/internal/cardnet"
	"example.com/paymentgateway/internal/idempotency"
	"example.com/paymentgateway/internal/ledger"
	"example.com/paymentgateway/internal/webhook"
)

type config struct {
	addr      string
	dsn       string
	auditPath string
	cardURL   string
	idemTTL   time.Duration
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8443", "listen address")
	flag.StringVar(&cfg.dsn, "ledger-dsn", "gateway", "ledger database")
	flag.StringVar(&cfg.auditPath, "audit-log", "audit.jsonl", "audit log file")
	flag.StringVar(&cfg.cardURL, "cardnet-url", "http://127.0.0.1:9090", "card network base URL")
	flag.DurationVar(&cfg.idemTTL, "idempotency-ttl", 24*time.Hour, "idempotency key lifetime")
	flag.Parse()
	return cfg
}

type staticScorer struct{}

func (staticScorer) Score(_ context.Context, _ string, amount int64) api.FraudVerdict {
	return api.FraudVerdict{Score: int(amount % 100), Block: amount > 1_000_000}
}

func main() {
	os.Exit(run(parseFlags()))
}

// run owns every deferred cleanup; main exits only after run has returned.
func run(cfg config) int {
	logger := log.New(os.Stderr, "gatewayd ", log.LstdFlags|log.Lmicroseconds)

	store, err := ledger.Open(cfg.dsn)
	if err != nil {
		logger.Printf("ledger: %v", err)
		return 1
	}
	defer store.Close()

	auditLog, err := audit.Open(cfg.auditPath)
	if err != nil {
		logger.Printf("audit: %v", err)
		return 1
	}
	defer func() {
		if err := auditLog.Close(); err != nil {
			logger.Printf("audit close: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	idem := idempotency.New(cfg.idemTTL)
	janitorDone := idem.StartJanitor(ctx, time.Minute)

	srv := api.NewServer(api.Config{
		Store:     store,
		Idem:      idem,
		Card:      cardnet.NewClient(cfg.cardURL, 10*time.Second, logger),
		Hooks:     webhook.NewDispatcher(&http.Client{Timeout: 15 * time.Second}, logger),
		Endpoints: func(string) []webhook.Endpoint { return nil },
		Audit:     auditLog,
		Fraud:     staticScorer{},
		Logger:    logger,
	})
	srv.Start(ctx)

	httpSrv := &http.Server{Addr: cfg.addr, Handler: srv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.ListenAndServe() }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serve: %v", err)
			return 1
		}
	case <-ctx.Done():
		logger.Printf("shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("http shutdown: %v", err)
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("api shutdown: %v", err)
	}
	<-janitorDone
	return 0
}
