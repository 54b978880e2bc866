// Command backupd is a daemon that archives a set of directories on a
// schedule, keeps the newest N archives and exits cleanly on SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/archive"
	"example.com/falsealarm6/internal/config"
	"example.com/falsealarm6/internal/fsutil"
	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/report"
	"example.com/falsealarm6/internal/schedule"
)

type options struct {
	configPath string
	lockPath   string
	dest       string
	keep       int
	once       bool
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.configPath, "config", "/etc/backupd.conf", "configuration file")
	flag.StringVar(&o.lockPath, "lock", "/run/backupd.lock", "lock file")
	flag.StringVar(&o.dest, "dest", "/var/backups", "archive directory")
	flag.IntVar(&o.keep, "keep", 7, "archives to keep")
	flag.BoolVar(&o.once, "once", false, "run one backup and exit")
	flag.Parse()
	return o
}

func main() {
	opts := parseFlags()
	lk, err := lockfile.AcquireStale(opts.lockPath)
	if err != nil {
		log.Fatalf("backupd: %v", err)
	}
	defer lk.Release()

	cfg, err := config.Load(opts.configPath)
	if err != nil {
		log.Fatalf("backupd: %v", err) // HAZ exit-skips-defer
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, opts); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("backupd: %v", err)
	}
}

// serve runs backups until ctx is cancelled.
func serve(ctx context.Context, cfg *config.Config, opts options) error {
	spec, err := schedule.Parse(cfg.String("schedule", "@every 24h"))
	if err != nil {
		return err
	}
	if opts.once {
		return backupOnce(ctx, cfg, opts)
	}
	for {
		wait := time.Until(spec.Next(time.Now()))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if err := backupOnce(ctx, cfg, opts); err != nil {
			log.Printf("backupd: backup failed: %v", err)
		}
	}
}

// backupOnce archives every configured source and prunes old archives.
func backupOnce(ctx context.Context, cfg *config.Config, opts options) error {
	sum := report.NewSummary("backup", time.Now())
	for _, src := range sources(cfg) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sum.Add(archiveOne(src, opts.dest, cfg))
	}
	if err := prune(opts.dest, opts.keep); err != nil {
		return err
	}
	return report.WriteText(filepath.Join(opts.dest, "last-run.txt"), sum)
}

func sources(cfg *config.Config) []string {
	var out []string
	for _, s := range filepath.SplitList(cfg.String("sources", "")) {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func archiveOne(src, dest string, cfg *config.Config) report.Row {
	start := time.Now()
	name := fmt.Sprintf("%s-%s.tar.gz", filepath.Base(src), start.Format("20060102-150405"))
	path := filepath.Join(dest, name)
	n, err := archive.TarGz(path, src, archive.Options{Exclude: filepath.SplitList(cfg.String("exclude", ""))})
	row := report.Row{Name: name, Status: "ok", Duration: time.Since(start)}
	if err != nil {
		row.Status, row.Err = "failed", err.Error()
		_ = os.Remove(path)
		return row
	}
	if info, err := os.Stat(path); err == nil {
		row.Bytes = info.Size()
	}
	log.Printf("backupd: %s: %d files", name, n)
	return row
}

// prune keeps the newest keep archives in dir.
func prune(dir string, keep int) error {
	names, err := fsutil.Newest(dir, 1<<20)
	if err != nil {
		return err
	}
	var archives []string
	for _, n := range names {
		if filepath.Ext(n) == ".gz" {
			archives = append(archives, n)
		}
	}
	for i := keep; i < len(archives); i++ {
		if err := os.Remove(filepath.Join(dir, archives[i])); err != nil {
			return err
		}
	}
	return nil
}
