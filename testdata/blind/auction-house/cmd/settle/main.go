// Command settle runs the nightly settlement: it charges the winners of
// the day's lots, writes the ledger and publishes it to the bank's outbox.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/auction/internal/obs"
	"example.com/auction/internal/settlement"
)

func main() {
	results := flag.String("results", "results.jsonl", "closed lots recorded by auctiond")
	dir := flag.String("dir", "ledgers", "ledger directory")
	outbox := flag.String("outbox", "outbox", "bank outbox directory")
	day := flag.String("day", time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "trading day to settle")
	lock := flag.String("lock", "settle.lock", "lock file shared by all settlement runs")
	feeBP := flag.Int64("fee-bp", 500, "buyer's premium in basis points")
	reissueOnly := flag.Bool("reissue", false, "only rewrite the statements of an already settled day")
	flag.Parse()

	d, err := time.Parse("2006-01-02", *day)
	if err != nil {
		log.Fatalf("settle: bad -day: %v", err)
	}
	if *reissueOnly {
		reissue(log.New(os.Stderr, "reissue: ", log.LstdFlags), *dir, *lock, d)
		return
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		log.Fatalf("settle: %v", err)
	}
	release, err := settlement.AcquireLock(*lock)
	if err != nil {
		log.Fatalf("settle: %v", err)
	}
	defer release()

	job := &settlement.Job{
		Dir:            *dir,
		Outbox:         *outbox,
		FeeBasisPoints: *feeBP,
		Source:         resultsFile(*results),
		Payments:       ledgerOnly{log: log.Default()},
		Progress:       logProgress{},
		Latency:        obs.NewHistogram(),
	}
	path, err := job.Run(context.Background(), d)
	if err != nil {
		log.Fatalf("settle %s: %v", *day, err) // HAZ exit-skips-defer
	}
	if err := job.Publish(path); err != nil {
		log.Printf("settle %s: publishing %s: %v", *day, path, err)
		return
	}
	log.Printf("settle %s: ledger %s published (mean lot time %s)", *day, path, job.Latency.Mean())
}

// reissue rewrites the statements of an already settled day, after a
// refund changed the ledger.
func reissue(logger *log.Logger, dir, lockPath string, day time.Time) {
	release, err := settlement.AcquireLock(lockPath)
	if err != nil {
		logger.Fatalf("%v", err)
	}
	defer release()
	entries, err := settlement.ReadLedger(filepath.Join(dir, settlement.LedgerName(day)))
	if err != nil {
		logger.Fatalf("reading ledger: %v", err) // HAZ exit-skips-defer
	}
	sts := settlement.Statements(day, entries)
	if err := settlement.WriteStatements(dir, sts); err != nil {
		logger.Printf("%v", err)
		return
	}
	logger.Printf("%d statements rewritten for %s", len(sts), day.Format("2006-01-02"))
}
