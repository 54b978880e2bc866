// Command dispatchd runs the dispatch backend: the driver line-protocol
// listener, the rider/admin HTTP API, the matcher, surge pricing and the
// webhook notifier, with a graceful shutdown on SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/dispatch/internal/api"
	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/match"
	"example.com/dispatch/internal/notify"
	"example.com/dispatch/internal/obs"
	"example.com/dispatch/internal/proto"
	"example.com/dispatch/internal/surge"
	"example.com/dispatch/internal/trip"
)

type config struct {
	httpAddr   string
	driverAddr string
	dataDir    string
	hooksFile  string
	auditURL   string
	cellDeg    float64
	maxConns   int
	maxSurge   float64
	surgeEvery time.Duration
	offerTTL   time.Duration
	staleAfter time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.httpAddr, "http", ":8080", "rider/admin HTTP address")
	flag.StringVar(&c.driverAddr, "drivers", ":7070", "driver line-protocol address")
	flag.StringVar(&c.dataDir, "data", "/var/lib/dispatch/trips", "trip store directory")
	flag.StringVar(&c.hooksFile, "hooks", "", "JSON file listing partner webhooks")
	flag.StringVar(&c.auditURL, "audit", "http://audit.internal/v1/records", "audit service URL")
	flag.Float64Var(&c.cellDeg, "cell", 0.01, "grid cell size in degrees")
	flag.IntVar(&c.maxConns, "max-drivers", 50000, "max concurrent driver connections")
	flag.Float64Var(&c.maxSurge, "max-surge", 3, "surge multiplier cap")
	flag.DurationVar(&c.surgeEvery, "surge-every", 30*time.Second, "surge recompute interval")
	flag.DurationVar(&c.offerTTL, "offer-ttl", 15*time.Second, "how long drivers get to accept")
	flag.DurationVar(&c.staleAfter, "stale", 2*time.Minute, "evict drivers silent for this long")
	flag.Parse()
	return c
}

func loadHooks(path string) ([]notify.Hook, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hooks []notify.Hook
	if err := json.NewDecoder(f).Decode(&hooks); err != nil {
		return nil, err
	}
	return hooks, nil
}

// evictLoop drops silent drivers from the grid until ctx is done.
func evictLoop(ctx context.Context, grid *geo.Grid, staleAfter time.Duration, logger *log.Logger) {
	t := time.NewTicker(staleAfter / 4)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			if n := grid.Evict(now.Add(-staleAfter)); n > 0 {
				logger.Printf("evicted %d silent drivers", n)
			}
		case <-ctx.Done():
			return
		}
	}
}

// countEvents drains the matcher's outcome stream into metrics.
func countEvents(ctx context.Context, events <-chan match.Event, metrics *obs.Metrics) {
	for {
		select {
		case ev := <-events:
			metrics.Inc("match.outcome." + ev.Outcome)
		case <-ctx.Done():
			return
		}
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "dispatchd ", log.LstdFlags|log.Lmicroseconds)
	metrics := obs.NewMetrics()

	hooks, err := loadHooks(cfg.hooksFile)
	if err != nil {
		return err
	}
	notifier := notify.New(&http.Client{Timeout: 10 * time.Second}, hooks, logger, notify.Options{Retries: 4})
	notifier.Start(4)

	publish := func(typ string) trip.Hook {
		return func(id string) {
			if err := notifier.Publish(notify.Event{Type: typ, TripID: id, At: time.Now().UTC()}); err != nil {
				logger.Printf("publish %s %s: %v", typ, id, err)
			}
		}
	}
	store, err := trip.Open(cfg.dataDir, logger, map[trip.State]trip.Hook{
		trip.Matched:   publish("trip.matched"),
		trip.Completed: publish("trip.completed"),
	})
	if err != nil {
		return err
	}

	grid := geo.NewGrid(cfg.cellDeg, 64)
	drivers := proto.NewServer(grid, logger, proto.Options{MaxConns: cfg.maxConns})
	dln, err := net.Listen("tcp", cfg.driverAddr)
	if err != nil {
		return err
	}
	go func() {
		if err := drivers.Serve(dln); err != nil {
			logger.Printf("driver listener: %v", err)
		}
	}()
	go evictLoop(ctx, grid, cfg.staleAfter, logger)

	demand := api.NewDemandTracker()
	pricer := surge.New(demand, grid, logger, cfg.maxSurge)
	pricer.Start(cfg.surgeEvery)
	matcher := match.New(grid, drivers, metrics, logger, match.Config{OfferTTL: cfg.offerTTL})
	go countEvents(ctx, matcher.Events(), metrics)

	apiSrv := api.NewServer(api.Config{
		Trips: store, Matcher: matcher, Pricer: pricer, Grid: grid, Notifier: notifier,
		Demand: demand, Metrics: metrics, Logger: logger, AuditURL: cfg.auditURL,
		AdminToken: os.Getenv("DISPATCH_ADMIN_TOKEN"),
	})
	apiSrv.StartJanitor(ctx, time.Minute)

	httpSrv := &http.Server{Addr: cfg.httpAddr, Handler: apiSrv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.ListenAndServe() }()
	logger.Printf("riders on %s, drivers on %s", cfg.httpAddr, cfg.driverAddr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = errors.Join(
		httpSrv.Shutdown(shutdownCtx),
		dln.Close(),
		drivers.Drain(shutdownCtx),
	)
	matcher.Shutdown()
	pricer.Stop()
	return errors.Join(err, notifier.Close(shutdownCtx))
}

func main() {
	cfg := parseFlags()
	if err := run(cfg); err != nil {
		log.Fatal(err)
	}
}
