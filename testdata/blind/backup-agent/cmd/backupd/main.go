// Command backupd is the backup daemon: it runs the configured backup jobs on
// their schedules, uploads packs to the object store and serves a status
// endpoint.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/backupd/internal/backup"
	"example.com/backupd/internal/config"
	"example.com/backupd/internal/lockfile"
	"example.com/backupd/internal/progress"
	"example.com/backupd/internal/repo"
	"example.com/backupd/internal/scheduler"
	"example.com/backupd/internal/seal"
	"example.com/backupd/internal/status"
	"example.com/backupd/internal/upload"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "init" {
		initRepo(os.Args[2:])
		return
	}
	os.Exit(realMain())
}

func realMain() int {
	cfgPath := flag.String("config", "/etc/backupd/config.json", "configuration file")
	once := flag.Bool("once", false, "run every job once and exit")
	flag.Parse()

	logger := log.New(os.Stderr, "backupd: ", log.LstdFlags|log.Lmsgprefix)
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		logger.Print(err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	lock, err := lockfile.Acquire(filepath.Join(cfg.Repo, "backupd.lock"), "backupd")
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer lock.Release()
	go lock.KeepAlive(ctx, time.Minute, func(err error) { logger.Printf("lock refresh: %v", err) })

	key, err := seal.LoadKeyFile(cfg.KeyFile)
	if err != nil {
		logger.Print(err)
		return 1
	}
	r, err := repo.Open(cfg.Repo, key, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer func() {
		if err := r.Close(); err != nil {
			logger.Printf("closing repository: %v", err)
		}
	}()

	client, err := upload.NewClient(cfg.Remote, upload.WithRetries(cfg.Retries), upload.WithToken(cfg.Token))
	if err != nil {
		logger.Print(err)
		return 2
	}
	up := upload.NewUploader(client, cfg.Uploaders, 256<<20, logger)
	if err := up.Drain(ctx, filepath.Join(cfg.Repo, "spool")); err != nil {
		logger.Printf("draining spool: %v", err)
	}

	rep := progress.NewReporter(256, 10*time.Second)
	rep.OnUpdate(func(t progress.Totals) {
		if t.Current != "" {
			logger.Printf("progress: %d files, %.1f%%, at %s", t.Files, t.Percent(), t.Current)
		}
	})
	go rep.Run(ctx)

	runner := backup.NewRunner(r, up, rep, logger)
	sched := scheduler.New(logger)
	for _, j := range cfg.Jobs {
		spec, err := scheduler.Parse(j.Schedule)
		if err != nil {
			logger.Print(err)
			return 2
		}
		opts := backup.Options{Roots: j.Roots, Exclude: j.Exclude, Tags: []string{j.Name}, Quiesce: j.Quiesce}
		job := scheduler.Job{
			Name:    j.Name,
			Spec:    spec,
			Timeout: j.Timeout.Duration,
			Run: func(ctx context.Context) error {
				_, err := runner.Run(ctx, opts)
				return err
			},
		}
		if err := sched.Add(job); err != nil {
			logger.Print(err)
			return 2
		}
	}

	if *once {
		if err := sched.RunAll(ctx); err != nil {
			logger.Print(err)
			return 1
		}
		return 0
	}

	go sched.Every(ctx, 15*time.Minute, "checkpoint", func(context.Context) error { return r.Checkpoint() })

	srv := status.New(status.Config{RepoDir: cfg.Repo, Upstream: cfg.Remote, Webhook: cfg.Webhook}, sched, rep, r.Index(), logger)
	go func() {
		if err := srv.ListenAndServe(ctx, cfg.StatusAddr); err != nil {
			logger.Printf("status endpoint: %v", err)
			stop()
		}
	}()

	sched.Start(ctx)
	logger.Printf("running %d jobs", len(cfg.Jobs))
	<-ctx.Done()
	logger.Printf("shutting down")
	sched.Wait()
	return 0
}
