// Command otelcol runs the collector with health and debug endpoints and
// configuration hot reload. SIGINT/SIGTERM shut it down gracefully; SIGHUP
// forces a configuration reload.
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

	"example.com/otelcol/internal/config"
	"example.com/otelcol/internal/health"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/service"
	"example.com/otelcol/internal/zpages"
)

func main() {
	cfgPath := flag.String("config", "collector.json", "configuration file")
	grace := flag.Duration("grace", 15*time.Second, "shutdown grace period")
	reloadEvery := flag.Duration("reload-interval", 10*time.Second, "config poll interval")
	flag.Parse()

	logger := log.New(os.Stderr, "otelcol ", log.LstdFlags|log.Lmsgprefix)
	reloader, err := config.NewReloader(*cfgPath, logger)
	if err != nil {
		log.Fatalf("config: %v", err) // no defer registered yet
	}
	cfg := reloader.Current()
	col, err := service.Build(cfg, logger)
	if err != nil {
		log.Fatalf("build: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	hc := health.New(2 * time.Second)
	dbg := zpages.New(reloader, obs.Default, logger)
	dbg.SetPipelines(col.Pipelines())
	mux := http.NewServeMux()
	mux.Handle("/healthz", hc)
	mux.HandleFunc("/readyz", hc.Ready)
	mux.Handle("/debug/", dbg.Handler())
	admin := &http.Server{Addr: adminAddr(cfg), Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := admin.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("admin server: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = admin.Shutdown(sctx)
	}()

	reloader.Subscribe(col.OnReload)
	go func() {
		_ = reloader.Watch(ctx, *reloadEvery)
	}()
	go forceReloadOnHUP(ctx, reloader, logger)

	hc.SetReady(true)
	if err := col.Run(ctx, *grace); err != nil {
		logger.Printf("collector stopped: %v", err)
		return
	}
	logger.Printf("collector stopped")
}

func adminAddr(cfg *config.Config) string {
	if cfg.Telemetry.HealthAddr != "" {
		return cfg.Telemetry.HealthAddr
	}
	return "127.0.0.1:13133"
}

// forceReloadOnHUP reloads the configuration on every SIGHUP.
func forceReloadOnHUP(ctx context.Context, r *config.Reloader, logger *log.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := r.ForceReload(); err != nil {
				logger.Printf("reload on SIGHUP: %v", err)
			}
		}
	}
}
