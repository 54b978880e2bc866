// Command dispatcher accepts events over HTTP, queues one delivery per
// matching subscription and delivers them with per-tenant worker pools.
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

	"example.com/webhooks/internal/breaker"
	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/metrics"
	"example.com/webhooks/internal/queue"
	"example.com/webhooks/internal/subscription"
	"example.com/webhooks/internal/worker"
)

type config struct {
	addr        string
	subsDir     string
	queuePath   string
	deadPath    string
	limitsPath  string
	controlURL  string
	workers     int
	maxAttempts int
	timeout     time.Duration
	grace       time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.addr, "addr", ":8080", "listen address for event ingestion")
	flag.StringVar(&c.subsDir, "subscriptions", "/var/lib/webhooks/subscriptions", "subscription directory")
	flag.StringVar(&c.queuePath, "queue", "/var/lib/webhooks/queue.log", "queue log")
	flag.StringVar(&c.deadPath, "dead-letters", "/var/lib/webhooks/dead.jsonl", "dead-letter file")
	flag.StringVar(&c.limitsPath, "limits", "", "JSON file of per-tenant worker counts, reloaded every minute")
	flag.StringVar(&c.controlURL, "control-url", "", "control plane URL notified on pool changes")
	flag.IntVar(&c.workers, "workers", 4, "workers per tenant")
	flag.IntVar(&c.maxAttempts, "max-attempts", 6, "attempts per delivery")
	flag.DurationVar(&c.timeout, "timeout", 15*time.Second, "timeout of one HTTP attempt")
	flag.DurationVar(&c.grace, "grace", 20*time.Second, "shutdown grace period")
	flag.Parse()
	return c
}

func main() {
	cfg := parseFlags()
	logger := log.New(os.Stderr, "dispatcher: ", log.LstdFlags|log.Lmicroseconds)
	selfCheck(cfg, logger)
	if err := run(cfg, logger); err != nil {
		logger.Fatalf("%v", err)
	}
}

// run wires the dispatcher together and blocks until SIGINT/SIGTERM or a
// fatal serving error, then shuts down in order: HTTP, feeder, pools,
// dead letters, queue.
func run(cfg config, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := subscription.Open(cfg.subsDir)
	if err != nil {
		return err
	}
	q, err := queue.Open(cfg.queuePath)
	if err != nil {
		return err
	}
	defer func() {
		if err := q.Close(); err != nil {
			logger.Printf("closing queue: %v", err)
		}
	}()
	dead, err := delivery.OpenDeadLetters(cfg.deadPath)
	if err != nil {
		return err
	}
	defer func() {
		if err := dead.Close(); err != nil {
			logger.Printf("closing dead letters: %v", err)
		}
	}()

	reg := metrics.New()
	breakers := breaker.NewSet(5, 30*time.Second)
	sender := delivery.NewSender(&http.Client{Timeout: cfg.timeout}, breakers, reg, logger,
		delivery.Options{MaxAttempts: cfg.maxAttempts})
	mgr := worker.NewManager(ctx, worker.Config{
		Workers:    cfg.workers,
		Timeout:    time.Duration(cfg.maxAttempts) * 2 * cfg.timeout,
		Send:       sender,
		Queue:      q,
		Dead:       dead,
		Hooks:      worker.NewHooks(logger),
		ControlURL: cfg.controlURL,
		Log:        logger,
	})
	if cfg.limitsPath != "" {
		limits, err := loadLimits(cfg.limitsPath)
		if err != nil {
			return err
		}
		mgr.SetLimits(limits)
		go reloadLimits(cfg.limitsPath, time.Minute, mgr.SetLimits, logger)
	}

	mux := http.NewServeMux()
	mux.Handle("/v1/events", &ingestHandler{store: store, q: q, log: logger})
	mux.Handle("/metrics", reg)
	mux.Handle("/status", &statusHandler{q: q, breakers: breakers, mgr: mgr})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv := &http.Server{Addr: cfg.addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	go func() { errc <- mgr.Run(ctx) }()
	logger.Printf("listening on %s", cfg.addr)

	select {
	case <-ctx.Done():
		logger.Printf("signal received, shutting down")
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serving: %v", err)
		}
	}
	stop() // also ends mgr.Run if the server failed first

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("http shutdown: %v", err)
	}
	return mgr.Drain(cfg.grace)
}
