// Command httplb is the HTTP load balancer daemon.
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

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/config"
	"example.com/fah26/internal/health"
	"example.com/fah26/internal/httplb"
	"example.com/fah26/internal/limit"
	"example.com/fah26/internal/stats"
)

func main() {
	cfgPath := flag.String("config", "/etc/httplb/config.json", "configuration file")
	token := flag.String("admin-token", os.Getenv("HTTPLB_ADMIN_TOKEN"), "bearer token for /admin")
	flag.Parse()

	logger := log.New(os.Stderr, "httplb ", log.LstdFlags|log.Lmsgprefix)
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		logger.Fatalf("config: %v", err)
	}
	pool, err := backend.NewPool(cfg.Build()...)
	if err != nil {
		logger.Fatalf("pool: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	checker := health.NewChecker(pool, health.HTTPProber{Path: cfg.HealthPath},
		cfg.HealthInterval.Duration, cfg.HealthTimeout.Duration, cfg.FailThreshold, logger)
	if err := checker.Start(ctx); err != nil {
		logger.Printf("health: %v", err)
		return
	}
	defer checker.Stop()

	metrics := stats.NewMetrics()
	h := &httplb.Handler{
		Pool:    pool,
		Checker: checker,
		Client:  &http.Client{Timeout: 0},
		Metrics: metrics,
		Limiter: limit.New(max(cfg.MaxInFlight, 1024)),
		Logger:  logger,
		Timeout: 30 * time.Second,
	}
	go h.ReportLoop(ctx, time.Minute)
	go watchHUP(ctx, *cfgPath, pool, logger)

	srv := &http.Server{
		Addr:              cfg.Listen,
		Handler:           newMux(h, metrics, &httplb.AdminAPI{Pool: pool, Token: *token, Penalty: time.Second}, logger),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ListenAndServe() }()

	select {
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serve: %v", err)
		}
		return
	case <-ctx.Done():
	}
	logger.Printf("signal received, draining for up to %s", cfg.ShutdownTimeout.Duration)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout.Duration)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("shutdown: %v", err)
	}
}

func newMux(h *httplb.Handler, metrics *stats.Metrics, admin *httplb.AdminAPI, logger *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/-/ready", h.ServeReady)
	mux.HandleFunc("/-/status", h.ServeStatus)
	mux.Handle("/-/metrics", metrics)
	mux.HandleFunc("/admin/backends", admin.ServeBackends)
	mux.HandleFunc("/admin/drain", admin.ServeDrain)
	mux.HandleFunc("/admin/drain-all", admin.ServeDrainAll)
	return httplb.AccessLog(logger, httplb.Recover(logger, mux))
}

// watchHUP reloads the backend list on SIGHUP until ctx is done.
func watchHUP(ctx context.Context, cfgPath string, pool *backend.Pool, logger *log.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			cfg, err := config.Load(cfgPath)
			if err != nil {
				logger.Printf("reload: %v", err)
				continue
			}
			if err := pool.Replace(cfg.Build()); err != nil {
				logger.Printf("reload rejected: %v", err)
				continue
			}
			logger.Printf("reloaded %d backends", pool.Len())
		}
	}
}
