// Command tcpproxy is the layer-4 balancer daemon.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/config"
	"example.com/fah26/internal/health"
	"example.com/fah26/internal/limit"
	"example.com/fah26/internal/stats"
	"example.com/fah26/internal/tcpproxy"
)

func main() {
	cfgPath := flag.String("config", "/etc/tcpproxy/config.json", "configuration file")
	flag.Parse()
	if err := run(*cfgPath); err != nil {
		fmt.Fprintln(os.Stderr, "tcpproxy:", err)
		os.Exit(1)
	}
}

// run owns every resource of the daemon; main only turns its error into an
// exit status, after all of run's defers have executed.
func run(cfgPath string) error {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	logger := log.New(os.Stderr, "tcpproxy ", log.LstdFlags|log.Lmsgprefix)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pool, err := backend.NewPool(cfg.Build()...)
	if err != nil {
		return err
	}
	checker := health.NewChecker(pool, health.TCPProber{}, cfg.HealthInterval.Duration,
		cfg.HealthTimeout.Duration, cfg.FailThreshold, logger)
	if err := checker.Start(ctx); err != nil {
		return err
	}
	defer checker.Stop()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &tcpproxy.Server{
		Pool:        pool,
		Metrics:     stats.NewMetrics(),
		Logger:      logger,
		DialTimeout: cfg.DialTimeout.Duration,
		IdleTimeout: cfg.IdleTimeout.Duration,
	}
	if cfg.MaxInFlight > 0 {
		srv.Limiter = limit.New(cfg.MaxInFlight)
	}
	if cfg.Admin != "" {
		stopAdmin, err := startAdmin(cfg.Admin, pool, logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopAdmin()
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Printf("listening on %s, %d backends", ln.Addr(), pool.Len())

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
		logger.Printf("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout.Duration)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, tcpproxy.ErrServerClosed) {
		return err
	}
	return nil
}

// startAdmin serves the admin protocol on addr and returns the func that
// closes the listener and waits for the accept loop to finish.
func startAdmin(addr string, pool *backend.Pool, logger *log.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	a := &tcpproxy.Admin{Pool: pool, Logger: logger, IdleTimeout: 10 * time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.Serve(ln); err != nil {
			logger.Printf("admin: %v", err)
		}
	}()
	return func() {
		ln.Close()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}, nil
}
