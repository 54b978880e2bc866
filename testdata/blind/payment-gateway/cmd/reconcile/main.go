// Command reconcile matches the ledger against the card networks' daily
// settlement files and writes the discrepancy report. It runs from cron.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"example.com/paymentgateway/internal/ledger"
	"example.com/paymentgateway/internal/reconcile"
)

type config struct {
	dsn        string
	settlement []string
	outPath    string
	lockPath   string
	partitions []string
	verifyOnly bool
}

func parseFlags() config {
	var cfg config
	var settlement, parts string
	flag.StringVar(&cfg.dsn, "ledger-dsn", "gateway", "ledger database")
	flag.StringVar(&settlement, "settlement", "", "comma-separated settlement CSV files")
	flag.StringVar(&cfg.outPath, "out", "discrepancies.csv", "report path")
	flag.StringVar(&cfg.lockPath, "lock", "/var/run/reconcile.lock", "lock file")
	flag.StringVar(&parts, "partitions", "", "comma-separated merchant partitions")
	flag.BoolVar(&cfg.verifyOnly, "verify", false, "only verify the settlement files")
	flag.Parse()
	if settlement == "" {
		fmt.Fprintln(os.Stderr, "reconcile: -settlement is required")
		os.Exit(2)
	}
	cfg.settlement = strings.Split(settlement, ",")
	if parts != "" {
		cfg.partitions = strings.Split(parts, ",")
	}
	return cfg
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reconcile: "+format+"\n", args...)
	os.Exit(1)
}

// verify parses the settlement files while holding the run lock.
func verify(cfg config) int {
	release, err := reconcile.AcquireLock(cfg.lockPath)
	if err != nil {
		die("lock: %v", err)
	}
	defer release()
	rows, err := reconcile.ReadAll(cfg.settlement)
	if err != nil {
		die("settlement: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("%d settlement rows OK\n", len(rows))
	return 0
}

func main() {
	cfg := parseFlags()
	if cfg.verifyOnly {
		os.Exit(verify(cfg))
	}
	logger := log.New(os.Stderr, "reconcile ", log.LstdFlags)

	store, err := ledger.Open(cfg.dsn)
	if err != nil {
		log.Fatalf("reconcile: ledger: %v", err)
	}
	out, err := reconcile.CreateReport(cfg.outPath)
	if err != nil {
		store.Close()
		log.Fatalf("reconcile: report: %v", err)
	}
	defer store.Close()
	defer func() {
		if err := out.Close(); err != nil {
			logger.Printf("report close: %v", err)
		}
	}()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	job := reconcile.NewJob(store, cfg.settlement, logger).WithLock(cfg.lockPath).WithPartitions(cfg.partitions)
	rep, err := job.RunLocked(ctx)
	if err != nil {
		log.Fatalf("reconcile: %v", err) // HAZ exit-skips-defer
	}
	if err := out.WriteAll(rep.Discrepancies); err != nil {
		logger.Printf("write report: %v", err)
		return
	}
	logger.Printf("%d matched, %d discrepancies", rep.Matched, len(rep.Discrepancies))
}
