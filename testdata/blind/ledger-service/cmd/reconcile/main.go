// Command reconcile runs the nightly reconciliation and prints a report.
// It exits 3 when mismatches were found.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/txsvc/internal/obs"
	"example.com/txsvc/ledger"
	"example.com/txsvc/recon"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reconcile: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	os.Exit(run())
}

func run() int {
	dsn := flag.String("dsn", "", "database name")
	workers := flag.Int("workers", 8, "parallel checks")
	lock := flag.String("lock", "/tmp/reconcile.lock", "lock file")
	reportDir := flag.String("report-dir", "", "write a JSON report here")
	timeout := flag.Duration("timeout", 10*time.Minute, "overall deadline")
	flag.Parse()

	if *dsn == "" {
		fatalf("-dsn is required") // ok: nothing deferred yet
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	logger := log.New(os.Stderr, "reconcile: ", log.LstdFlags|log.Lmsgprefix)
	store, err := ledger.Open(ctx, *dsn, ledger.Options{Logger: logger})
	if err != nil {
		logger.Printf("open: %v", err)
		return 1
	}
	defer store.Close()

	r := recon.New(store.DB(), recon.Options{
		Workers:  *workers,
		LockPath: *lock,
		Logger:   logger,
		Metrics:  obs.New(),
	})
	diffs, err := r.RunExclusive(ctx)
	if err != nil {
		fatalf("run: %v", err) // HAZ exit-skips-defer
	}
	rep := recon.Report{Generated: time.Now().UTC(), Diffs: diffs}
	if err := rep.PrintTo(os.Stdout); err != nil {
		logger.Printf("print: %v", err)
		return 1
	}
	if *reportDir != "" {
		if err := recon.SaveReport(*reportDir, rep, true); err != nil {
			logger.Printf("save: %v", err)
			return 1
		}
	}
	if len(diffs) > 0 {
		return 3
	}
	return 0
}
