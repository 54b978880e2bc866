// Command runner is the CI build-runner daemon.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/cirunner/internal/queue"
	"example.com/cirunner/internal/runner"
)

type fileConfig struct {
	Listen   string        `json:"listen"`
	QueueURL string        `json:"queue_url"`
	RunnerID string        `json:"runner_id"`
	Upstream string        `json:"upstream"`
	Runner   runner.Config `json:"runner"`
}

func main() {
	configPath := flag.String("config", "/etc/ci-runner/config.json", "runner configuration file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: runner [-config file]\n")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()

	cfg, err := loadConfig(*configPath)
	if err != nil {
		log.Fatalf("runner: %v", err)
	}
	if err := migrateState(cfg.Runner.StateDir); err != nil {
		log.Fatalf("runner: %v", err)
	}

	code := 0
	defer func() { os.Exit(code) }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	q, err := newQueue(cfg)
	if err != nil {
		log.Printf("runner: %v", err)
		code = 1
		return
	}
	cfg.Runner.Token = os.Getenv("RUNNER_TOKEN")
	r, err := runner.New(cfg.Runner, q)
	if err != nil {
		log.Printf("runner: %v", err)
		code = 1
		return
	}
	defer func() {
		if err := r.Close(); err != nil {
			log.Printf("runner: close: %v", err)
		}
	}()

	api := &http.Server{
		Addr:              cfg.Listen,
		Handler:           runner.NewAPI(r, cfg.Upstream).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	defer shutdown(api)
	go func() {
		if err := api.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("runner: status api: %v", err)
			stop()
		}
	}()

	log.Printf("runner: %d workers, status api on %s", cfg.Runner.Workers, cfg.Listen)
	if err := r.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("runner: %v", err)
		code = 1
	}
	drainCtx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := r.Drain(drainCtx); err != nil {
		log.Printf("runner: %v", err)
		code = 1
	}
}

func loadConfig(path string) (fileConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileConfig{}, err
	}
	defer f.Close()
	var cfg fileConfig
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return fileConfig{}, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:8088"
	}
	if cfg.RunnerID == "" {
		cfg.RunnerID, _ = os.Hostname()
	}
	return cfg, nil
}

func newQueue(cfg fileConfig) (runner.Queue, error) {
	if cfg.QueueURL == "" {
		log.Printf("runner: no queue_url, using an in-memory queue")
		return queue.NewMemQueue(), nil
	}
	return queue.NewClient(cfg.QueueURL, cfg.RunnerID, os.Getenv("RUNNER_TOKEN"))
}

// shutdown stops the status API, giving open requests 15 seconds.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Printf("runner: shutdown status api: %v", err)
	}
}
