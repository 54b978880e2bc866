// Command exporter dumps paid orders to CSV.
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"example.com/fah15/internal/export"
	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/store"
	"example.com/fah15/internal/trace"
)

type config struct {
	logPath    string
	dsn        string
	out        string
	cpuProfile string
	snapshot   bool
	timeout    time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.logPath, "log", "exporter.log", "log file")
	flag.StringVar(&c.dsn, "dsn", os.Getenv("DATABASE_URL"), "database DSN")
	flag.StringVar(&c.out, "out", "orders.csv", "output CSV")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile here")
	flag.BoolVar(&c.snapshot, "snapshot", false, "write a gzipped snapshot instead of CSV")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Minute, "overall deadline")
	flag.Parse()
	return c
}

func main() {
	cfg := parseFlags()
	logger, err := logx.Open(cfg.logPath)
	if err != nil {
		log.Fatalf("exporter: %v", err)
	}
	defer logger.Sync()

	runFn := run
	if cfg.snapshot {
		runFn = runSnapshot
	}
	if err := runFn(cfg, logger); err != nil {
		logger.Error("export failed", "err", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	logger.Info("export done", "out", cfg.out)
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("cpu profile: %v", err)
		}
	}, nil
}

func run(cfg config, logger *logx.Logger) error {
	var stopProfile func()
	if cfg.cpuProfile != "" {
		stop, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		stopProfile = stop
	}
	defer stopProfile() // HAZ defer-nil-func

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	db, err := sql.Open("pgx", cfg.dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	st := store.New(db, trace.NewTracer(0, nil), metrics.NewRegistry(), logger)
	orders, err := st.ListByCustomer(ctx, "*")
	if err != nil {
		return err
	}
	return export.WriteCSV(cfg.out, orders)
}

// runSnapshot is the variant used by the nightly job: the profile hook
// defaults to a no-op so the deferred call is always safe.
func runSnapshot(cfg config, logger *logx.Logger) error {
	stopProfile := func() {}
	if cfg.cpuProfile != "" {
		stop, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		stopProfile = stop
	}
	defer stopProfile()

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	db, err := sql.Open("pgx", cfg.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	st := store.New(db, trace.NewTracer(0, nil), metrics.NewRegistry(), logger)
	recent, pending, err := st.RecentAndPending(ctx)
	if err != nil {
		return err
	}
	return export.WriteGzipJSON(cfg.out+".gz", append(recent, pending...))
}
