// Command backupd is the backup daemon: it runs every target on its schedule
// and serves the status API until SIGINT or SIGTERM.
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

	"example.com/backupsched/internal/agent"
	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/metrics"
	"example.com/backupsched/internal/restore"
	"example.com/backupsched/internal/runner"
	"example.com/backupsched/internal/status"
)

func main() {
	if err := run(); err != nil {
		log.Printf("backupd: %v", err)
		os.Exit(1)
	}
}

func run() error {
	cfgPath := flag.String("config", "/etc/backupsched/backupsched.conf", "configuration file")
	tick := flag.Duration("tick", 20*time.Second, "how often schedules are checked")
	auditPath := flag.String("audit", "", "append audit events to this file")
	flag.Parse()

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	if err := cfg.LoadIncludes(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "backupd: ", log.LstdFlags)
	reg := metrics.NewRegistry()
	a, err := agent.New(cfg, reg, logger)
	if err != nil {
		return err
	}

	restores := make(chan restore.Request)
	worker := &restore.Worker{Lock: a.Runner().LockTarget, Log: logger}
	go worker.ServeCtx(ctx, restores)

	events := make(chan status.Event, 64)
	go logEvents(ctx, logger, events, *auditPath)

	jobs := make(map[string]runner.Job, len(a.Scheduled()))
	for _, s := range a.Scheduled() {
		jobs[s.Job.Name] = s.Job
	}
	st := &status.Server{
		BaseCtx:  ctx,
		Runner:   a.Runner(),
		Metrics:  reg,
		Jobs:     jobs,
		NewJob:   a.AdhocJob,
		Prune:    func(target string) ([]string, error) { return a.PruneTarget(ctx, target) },
		Verify:   a.VerifyLatest,
		Restores: restores,
		Events:   events,
		Started:  time.Now(),
		Log:      logger,
	}
	srv := &http.Server{Addr: cfg.Listen, Handler: st.Routes(), ReadHeaderTimeout: 10 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("http shutdown: %v", err)
		}
		if err := a.Runner().Wait(sctx); err != nil {
			logger.Printf("%v", err)
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	go a.Runner().Loop(ctx, a.Scheduled(), *tick)
	logger.Printf("serving status on %s, %d targets", cfg.Listen, len(cfg.Targets))

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		logger.Printf("shutting down")
	}
	return nil
}

// logEvents writes audit events to the log, and to auditPath if set, until
// ctx is done.
func logEvents(ctx context.Context, logger *log.Logger, events <-chan status.Event, auditPath string) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			logger.Printf("audit: %s %s at %s %s", e.Kind, e.Target, e.At.Format(time.RFC3339), e.Err)
			if auditPath == "" {
				continue
			}
			if err := status.AppendEvent(auditPath, e); err != nil {
				logger.Printf("audit file: %v", err)
			}
		}
	}
}
