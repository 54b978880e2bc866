package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"sync"
	"time"

	"example.com/jobscheduler/internal/api"
	"example.com/jobscheduler/internal/cron"
	"example.com/jobscheduler/internal/election"
	"example.com/jobscheduler/internal/history"
	"example.com/jobscheduler/internal/job"
	"example.com/jobscheduler/internal/lease"
	"example.com/jobscheduler/internal/retry"
	"example.com/jobscheduler/internal/runner"
	"example.com/jobscheduler/internal/scheduler"
)

type logReporter struct{ log *slog.Logger }

func (r logReporter) Report(res job.Result) {
	if res.OK() {
		r.log.Info("job finished", "job", res.JobID, "attempt", res.Attempt, "took", res.Duration())
		return
	}
	r.log.Warn("job failed", "job", res.JobID, "attempt", res.Attempt, "err", res.Err, "panicked", res.Panicked)
}

// commandJob turns a crontab entry into a job that runs the command through
// the shell, retrying transient failures.
func commandJob(e cron.Entry, log *slog.Logger) *job.Job {
	run := func(ctx context.Context) error {
		return retry.Do(ctx, retry.Default, func(ctx context.Context, attempt int) error {
			var out bytes.Buffer
			cmd := exec.CommandContext(ctx, "/bin/sh", "-c", e.Command)
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.WaitDelay = 5 * time.Second
			err := cmd.Run()
			if out.Len() > 0 {
				log.Debug("job output", "job", e.Name, "attempt", attempt, "output", out.String())
			}
			var exitErr *exec.ExitError
			if errors.As(err, &exitErr) && exitErr.ExitCode() == 2 {
				return retry.Permanent(fmt.Errorf("%s: usage error: %w", e.Name, err))
			}
			return err
		})
	}
	return &job.Job{ID: e.Name, Name: e.Name, Spec: e.Spec, Timeout: time.Hour, MaxAttempts: retry.Default.Attempts, Run: run}
}

// runDaemon serves until ctx ends, then drains in-flight runs for up to 30s.
func runDaemon(ctx context.Context, cfg config, log *slog.Logger, el *election.Elector, ln net.Listener, entries []cron.Entry) error {
	hist, err := history.Open(cfg.historyDir, log)
	if err != nil {
		ln.Close()
		return err
	}
	sched := scheduler.New(ctx, scheduler.Config{
		Node:    cfg.nodeID,
		Runner:  runner.New(log, logReporter{log}),
		History: hist,
		Leases:  lease.NewManager(cfg.leaseTTL),
		Log:     log,
	})
	jobs := make([]*job.Job, 0, len(entries))
	for _, e := range entries {
		jobs = append(jobs, commandJob(e, log))
	}
	if err := sched.AddAll(jobs); err != nil {
		ln.Close()
		return err
	}
	srv := api.New(sched, hist, log)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	wg.Go(func() { srv.RunAudit(ctx) })
	wg.Go(func() {
		retry.Every(ctx, cfg.heartbeat, func(time.Time) {
			if err := el.Heartbeat(); err != nil {
				cancel(fmt.Errorf("lost leadership: %w", err))
			}
		})
	})
	wg.Go(func() {
		if err := sched.Run(ctx); err != nil {
			log.Debug("scheduler loop ended", "err", err)
		}
	})
	serveErr := srv.Serve(ctx, ln)
	cancel(serveErr)
	wg.Wait()

	drainCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer stop()
	return errors.Join(serveErr, context.Cause(ctx), sched.Drain(drainCtx))
}
