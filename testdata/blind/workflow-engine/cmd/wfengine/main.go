// Command wfengine runs the workflow engine: history, scheduler, timers and
// the HTTP API.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/wfengine/internal/api"
	"example.com/wfengine/internal/history"
	"example.com/wfengine/internal/lease"
	"example.com/wfengine/internal/scheduler"
	"example.com/wfengine/internal/timer"
	"example.com/wfengine/internal/workflow"
)

type config struct {
	addr       string
	dataDir    string
	nodeID     string
	segmentMax int
	webhook    string
	audit      string
}

func parseFlags() config {
	var c config
	host, _ := os.Hostname()
	flag.StringVar(&c.addr, "addr", "127.0.0.1:7233", "listen address")
	flag.StringVar(&c.dataDir, "data", "./data", "data directory")
	flag.StringVar(&c.nodeID, "node", host, "node identity for the leader lease")
	flag.IntVar(&c.segmentMax, "segment-events", 10000, "events per history segment")
	flag.StringVar(&c.webhook, "webhook", "", "URL notified on workflow completion")
	flag.StringVar(&c.audit, "audit", "", "URL receiving audit records")
	flag.Parse()
	return c
}

func main() {
	cfg := parseFlags()
	if err := run(cfg); err != nil {
		log.Fatalf("wfengine: %v", err)
	}
}

func run(cfg config) error {
	logger := log.New(os.Stderr, "wfengine ", log.LstdFlags|log.Lmicroseconds)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	hist, err := history.Open(filepath.Join(cfg.dataDir, "history"), cfg.segmentMax)
	if err != nil {
		return err
	}
	defer func() {
		if err := hist.Close(); err != nil {
			logger.Printf("close history: %v", err)
		}
	}()

	wheel := timer.NewWheel(1024)
	defer wheel.Stop()

	statePath := filepath.Join(cfg.dataDir, "queue.json")
	q, err := scheduler.LoadSnapshot(statePath)
	if errors.Is(err, os.ErrNotExist) {
		q, err = scheduler.NewQueue(), nil
	}
	if err != nil {
		return err
	}

	leader := lease.NewLeader(15*time.Second, func(holder string, term uint64) {
		logger.Printf("leadership: %s (term %d)", holder, term)
	})
	go leader.Campaign(ctx, cfg.nodeID, 5*time.Second)

	sched := scheduler.New(scheduler.Config{
		NodeID:    cfg.nodeID,
		LeaseTTL:  30 * time.Second,
		StatePath: statePath,
		AuditPath: filepath.Join(cfg.dataDir, "audit.log"),
	}, q, hist, leader, wheel, logger)
	sched.Start(ctx)

	runner := workflow.NewRunner(workflow.NewRegistry(), hist, lease.NewTable(), logger, 64)
	n, err := runner.Recover(hist.Dir())
	if err != nil {
		return err
	}
	logger.Printf("recovered %d executions", n)

	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           api.NewServer(runner, logger, api.Options{WebhookURL: cfg.webhook, AuditURL: cfg.audit}).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", cfg.addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return sched.Checkpoint()
}
