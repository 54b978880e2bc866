// Command healthd probes a backend fleet, serves its state over HTTP and
// forwards state changes to the alert relay.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/config"
	"example.com/fah26/internal/health"
)

func main() {
	cfgPath := flag.String("config", "/etc/healthd/config.json", "configuration file")
	relay := flag.String("relay", "", "alert relay host:port (empty: no alerts)")
	flag.Parse()

	logger := log.New(os.Stderr, "healthd ", log.LstdFlags|log.Lmsgprefix)
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		logger.Fatalf("config: %v", err)
	}
	pool, err := backend.NewPool(cfg.Build()...)
	if err != nil {
		logger.Fatalf("pool: %v", err)
	}

	checker := health.NewChecker(pool, health.ChainProber{health.TCPProber{}, health.HTTPProber{Path: cfg.HealthPath}},
		cfg.HealthInterval.Duration, cfg.HealthTimeout.Duration, cfg.FailThreshold, logger)
	if *relay != "" {
		events := make(chan health.Event, 64)
		n := &health.Notifier{Addr: *relay, Timeout: 2 * time.Second, Logger: logger}
		checker.OnDown = n.Hook(events)
		health.StartNotifier(n, events)
	}
	if err := checker.Start(context.Background()); err != nil {
		logger.Fatalf("health: %v", err)
	}
	defer checker.Stop()
	defer saveState(cfg.StatePath, pool, logger)

	mux := http.NewServeMux()
	mux.HandleFunc("/backends", serveBackends(pool))
	mux.Handle("/", http.NotFoundHandler())
	srv := &http.Server{Addr: cfg.Listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// saveState writes the final backend states so the next start can report
// how the fleet looked at shutdown.
func saveState(path string, pool *backend.Pool, logger *log.Logger) {
	if path == "" {
		return
	}
	data, err := json.MarshalIndent(pool.Statuses(), "", "  ")
	if err != nil {
		logger.Printf("save state: %v", err)
		return
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		logger.Printf("save state: %v", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		logger.Printf("save state: %v", err)
	}
}

// serveBackends lists the backend states as JSON.
func serveBackends(pool *backend.Pool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(pool.Statuses()); err != nil {
			log.Printf("healthd: encode: %v", err)
		}
	}
}
