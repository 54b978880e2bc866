// Command server runs the public API.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah20/internal/accesslog"
	"example.com/fah20/internal/api"
	"example.com/fah20/internal/middleware"
	"example.com/fah20/internal/pool"
	"example.com/fah20/internal/ratelimit"
	"example.com/fah20/internal/session"
	"example.com/fah20/internal/web"
)

type config struct {
	addr, dataDir, backend, webhook string
	grace                           time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8080", "listen address")
	flag.StringVar(&cfg.dataDir, "data", "data", "data directory")
	flag.StringVar(&cfg.backend, "backend", "127.0.0.1:7070", "cache/lock backend")
	flag.StringVar(&cfg.webhook, "webhook", "http://127.0.0.1:9999/hook", "partner webhook")
	flag.DurationVar(&cfg.grace, "grace", 15*time.Second, "shutdown grace period")
	flag.Parse()

	logger := log.New(os.Stderr, "server ", log.LstdFlags|log.Lmsgprefix)
	if err := run(cfg, logger); err != nil {
		logger.Fatal(err)
	}
}

func requestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// run serves until SIGINT/SIGTERM, then drains within the grace period. All
// cleanup is deferred here, so it runs on every return.
func run(cfg config, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	al, err := accesslog.Open(filepath.Join(cfg.dataDir, "access.log"), 256<<20)
	if err != nil {
		return err
	}
	defer func() {
		if err := al.Close(); err != nil {
			logger.Printf("closing access log: %v", err)
		}
	}()

	sessions := session.NewStore(24 * time.Hour)
	sessPath := filepath.Join(cfg.dataDir, "sessions.json")
	if err := sessions.Load(sessPath); err != nil {
		return err
	}
	defer func() {
		if err := sessions.Save(sessPath); err != nil {
			logger.Printf("saving sessions: %v", err)
		}
	}()

	backend := pool.New(pool.TCPDialer(cfg.backend, 2*time.Second), 8, 32, 10*time.Minute)
	defer backend.Close()

	a := api.New(api.Config{
		DataDir:    cfg.dataDir,
		WebhookURL: cfg.webhook,
		Client:     &http.Client{Timeout: 10 * time.Second},
		Pool:       backend,
		Logger:     logger,
	})
	defer a.Close()

	limiter := ratelimit.NewKeyed(50, 20, 100_000)
	handler := web.Chain(a.Routes(),
		middleware.Recovery(logger),
		middleware.Logger(logger),
		middleware.RequestID(logger, requestID),
		accesslog.Middleware(al, func(err error) { logger.Printf("access log: %v", err) }),
		middleware.MaxInFlight(512),
		middleware.RateLimit(limiter, middleware.ClientIP),
		middleware.Gzip(logger),
		middleware.Timeout(30*time.Second),
	)
	srv := &http.Server{Addr: cfg.addr, Handler: handler, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", cfg.addr)

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
