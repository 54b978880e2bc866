// Command apiserver serves the items API with graceful shutdown.
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

	"example.com/websvc/internal/api"
	"example.com/websvc/internal/config"
	"example.com/websvc/internal/health"
	"example.com/websvc/internal/middleware"
	"example.com/websvc/internal/sse"
	"example.com/websvc/internal/store"
)

func main() {
	cfgPath := flag.String("config", "", "path to the JSON config")
	flag.Parse()
	if err := run(*cfgPath); err != nil {
		log.Fatal(err) // ok: main registers no defers
	}
}

func run(cfgPath string) error {
	logger := log.New(os.Stderr, "api ", log.LstdFlags|log.Lmicroseconds)
	cfg := config.Default()
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return err
		}
	}

	st := store.New()
	if cfg.SnapshotPath != "" {
		if err := st.LoadSnapshot(cfg.SnapshotPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srvAPI := &api.Server{
		Store:   st,
		Metrics: &middleware.Metrics{},
		Logger:  logger,
		Audit:   make(chan api.AuditEvent, 128),
	}
	auditStop := make(chan struct{})
	defer close(auditStop) // ok: no goroutine sends on auditStop
	srvAPI.StartAuditLog(auditStop)

	broker := sse.NewBroker(logger)
	go broker.Run(ctx)
	go broker.HeartbeatUntil(ctx, 20*time.Second)

	checker := health.New(time.Second)
	checker.MustRegister("store", func(context.Context) error { return nil })

	limiter := middleware.NewLimiter(cfg.RateLimit, int(cfg.RateLimit)*2)
	limiter.StartSweeper(time.Minute, 10*time.Minute, ctx.Done())

	mux := http.NewServeMux()
	mux.Handle("/", srvAPI.Routes())
	mux.Handle("GET /events", broker)
	mux.Handle("GET /healthz", checker)
	handler := middleware.Chain(mux,
		middleware.Recover(logger),
		middleware.Logging(logger),
		middleware.RequestID,
		middleware.RateLimit(limiter, middleware.ClientIP),
		middleware.MaxBody(1<<20),
	)

	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
	}

	errc := make(chan error, 1) // ok: buffered, the serve goroutine never blocks
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", cfg.Addr)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		logger.Print("shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if cfg.SnapshotPath != "" {
		return st.WriteSnapshotAtomic(cfg.SnapshotPath)
	}
	return nil
}
