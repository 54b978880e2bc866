// Command schedulerd runs the job scheduler: it becomes leader through the
// lock file, loads the crontabs and serves the HTTP API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/jobscheduler/internal/cron"
	"example.com/jobscheduler/internal/election"
)

type config struct {
	addr       string
	lockPath   string
	nodeID     string
	jobsDir    string
	historyDir string
	staleAfter time.Duration
	pollEvery  time.Duration
	heartbeat  time.Duration
	leaseTTL   time.Duration
	verbose    bool
}

func parseFlags(args []string) (config, error) {
	host, _ := os.Hostname()
	var cfg config
	fs := flag.NewFlagSet("schedulerd", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", ":8080", "API listen address")
	fs.StringVar(&cfg.lockPath, "lock", "/var/lib/jobscheduler/leader.lock", "leader lock file on shared storage")
	fs.StringVar(&cfg.nodeID, "node", host, "node id written to the lock file")
	fs.StringVar(&cfg.jobsDir, "jobs", "/etc/jobscheduler/cron.d", "directory of *.cron files")
	fs.StringVar(&cfg.historyDir, "history", "/var/lib/jobscheduler/history", "history directory")
	fs.DurationVar(&cfg.staleAfter, "stale-after", time.Minute, "take over a leader silent for this long")
	fs.DurationVar(&cfg.pollEvery, "poll", 10*time.Second, "leader election retry interval")
	fs.DurationVar(&cfg.heartbeat, "heartbeat", 15*time.Second, "leader heartbeat interval")
	fs.DurationVar(&cfg.leaseTTL, "lease-ttl", 30*time.Second, "per-job lease TTL")
	fs.BoolVar(&cfg.verbose, "v", false, "debug logging")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.nodeID == "" {
		return config{}, errors.New("-node is required when the hostname is unknown")
	}
	if cfg.heartbeat >= cfg.staleAfter {
		return config{}, fmt.Errorf("-heartbeat %s must be shorter than -stale-after %s", cfg.heartbeat, cfg.staleAfter)
	}
	return cfg, nil
}

// fatalf prints the message and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "schedulerd: "+format+"\n", args...)
	os.Exit(1)
}

func newLogger(verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fatalf("%v", err)
	}
	os.Exit(serve(cfg))
}

// serve returns the process exit status.
func serve(cfg config) int {
	log := newLogger(cfg.verbose)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	el := election.New(cfg.lockPath, cfg.nodeID, cfg.staleAfter, log)
	if err := el.Campaign(ctx, cfg.pollEvery); err != nil {
		log.Error("leader election failed", "err", err)
		return 1
	}
	defer resign(el, log)
	entries, err := cron.LoadDir(cfg.jobsDir)
	if err != nil {
		fatalf("load jobs from %s: %v", cfg.jobsDir, err) // HAZ exit-skips-defer
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Error("listen", "addr", cfg.addr, "err", err)
		return 1
	}
	if err := runDaemon(ctx, cfg, log, el, ln, entries); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("schedulerd stopped", "err", err)
		return 1
	}
	log.Info("schedulerd stopped")
	return 0
}

func resign(el *election.Elector, log *slog.Logger) {
	if err := el.Resign(); err != nil {
		log.Warn("resign leadership", "err", err)
	}
}
