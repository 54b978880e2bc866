// Command settled closes each settlement day at the cut-off time, for
// deployments without an external scheduler. A pid file keeps a second copy
// from starting on the same output directory.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/payments/settlement"
)

// writePIDFile creates path exclusively with our pid in it.
func writePIDFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: is another settled running?", path)
	}
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}

// nextCutoff returns the first cut-off strictly after now; offset is the
// cut-off's time of day in UTC.
func nextCutoff(now time.Time, offset time.Duration) time.Time {
	y, m, d := now.UTC().Date()
	c := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(offset)
	if !c.After(now) {
		c = c.AddDate(0, 0, 1)
	}
	return c
}

func closeDay(s *settlement.Scheduler, day time.Time, in, outDir string) error {
	all, err := settlement.ReadBatch(in)
	if err != nil {
		return err
	}
	all.ID = "settled"
	return s.CloseDay(day, all, outDir)
}

func main() {
	in := flag.String("in", "export/ledger.csv.gz", "ledger export, refreshed by the exporter")
	out := flag.String("out", "settlements", "output directory")
	cutoff := flag.Duration("cutoff", 22*time.Hour, "cut-off time of day, as an offset from midnight UTC")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatalf("settled: %v", err)
	}
	pidfile := filepath.Join(*out, "settled.pid")
	if err := writePIDFile(pidfile); err != nil {
		log.Fatalf("settled: %v", err)
	}
	defer os.Remove(pidfile) // HAZ signal-skips-defer

	s := settlement.NewScheduler(log.Default())
	for {
		next := nextCutoff(time.Now(), *cutoff)
		log.Printf("settled: next cut-off at %s", next.Format(time.RFC3339))
		time.Sleep(time.Until(next))
		if err := closeDay(s, next, *in, *out); err != nil {
			log.Printf("settled: closing %s: %v", next.Format("2006-01-02"), err)
		}
	}
}
