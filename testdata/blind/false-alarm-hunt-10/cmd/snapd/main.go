// Command snapd serves the snapshot blob API.
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
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah10/internal/catalog"
	"example.com/fah10/internal/fetch"
	"example.com/fah10/internal/httpapi"
	"example.com/fah10/internal/runner"
)

type config struct {
	addr    string
	dataDir string
	remote  string
	audit   string
	workers int
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8080", "listen address")
	flag.StringVar(&cfg.dataDir, "data", "", "data directory (required)")
	flag.StringVar(&cfg.remote, "remote", "http://blobs.internal", "remote blob store")
	flag.StringVar(&cfg.audit, "audit", "http://audit.internal/v1/events", "audit endpoint")
	flag.IntVar(&cfg.workers, "workers", 4, "background workers")
	flag.Parse()
	return cfg
}

func main() {
	cfg := parseFlags()
	if cfg.dataDir == "" {
		fmt.Fprintln(os.Stderr, "snapd: -data is required")
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		log.Printf("snapd: %v", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "snapd ", log.LstdFlags)
	catPath := filepath.Join(cfg.dataDir, "catalog.json")
	cat, err := catalog.Load(catPath, logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := cat.Save(catPath); err != nil {
			logger.Printf("save catalog: %v", err)
		}
	}()

	pool := runner.NewPool(ctx, cfg.workers, logger)
	api := httpapi.NewServer(httpapi.Config{
		Catalog:  cat,
		Remote:   fetch.New(cfg.remote),
		Tokens:   httpapi.NewTokenStore(),
		BlobDir:  filepath.Join(cfg.dataDir, "blobs"),
		AuditURL: cfg.audit,
		Logger:   logger,
	})
	srv := &http.Server{Addr: cfg.addr, Handler: api, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		pool.Close()
		return err
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	pool.Close()
	return nil
}
