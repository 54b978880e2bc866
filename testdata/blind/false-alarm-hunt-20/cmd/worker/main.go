// Command worker runs the background jobs: periodic cache refresh, session
// GC and access-log compression.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah20/internal/accesslog"
	"example.com/fah20/internal/jobs"
	"example.com/fah20/internal/session"
)

type options struct {
	dataDir string
	workers int
	grace   time.Duration
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.dataDir, "data", "data", "data directory")
	flag.IntVar(&o.workers, "workers", 4, "job workers")
	flag.DurationVar(&o.grace, "grace", 20*time.Second, "time allowed for running jobs at shutdown")
	flag.Parse()
	return o
}

// main exits with run's status once run has returned and its deferred
// cleanup has already happened.
func main() {
	os.Exit(run(parseFlags()))
}

func run(o options) int {
	logger := log.New(os.Stderr, "worker ", log.LstdFlags|log.Lmsgprefix)
	if o.workers < 1 {
		logger.Printf("need at least one worker")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	runner := jobs.NewRunner(o.workers, 64, logger)
	runner.Start()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), o.grace)
		defer cancel()
		if err := runner.Stop(sctx); err != nil {
			logger.Printf("%v", err)
		}
	}()

	sessions := session.NewStore(24 * time.Hour)
	sessPath := filepath.Join(o.dataDir, "sessions.json")
	if err := sessions.Load(sessPath); err != nil {
		logger.Printf("loading sessions: %v", err)
		return 1
	}

	sched := jobs.NewScheduler(logger)
	sched.Add(jobs.Task{Name: "session-gc", Every: time.Minute, Fn: func(ctx context.Context) error {
		if n := sessions.GC(); n > 0 {
			logger.Printf("session-gc: removed %d", n)
		}
		return sessions.Save(sessPath)
	}})
	sched.Add(jobs.Task{Name: "compress-logs", Every: 10 * time.Minute, Fn: func(ctx context.Context) error {
		return runner.Submit(ctx, jobs.Job{Name: "compress", Run: func(context.Context) error {
			n, err := accesslog.CompressRotated(filepath.Join(o.dataDir, "access.log"), logger)
			if err != nil {
				return fmt.Errorf("compressed %d segments before failing: %w", n, err)
			}
			return nil
		}})
	}})
	sched.Run(ctx)
	logger.Printf("signal received, stopping")
	return 0
}
