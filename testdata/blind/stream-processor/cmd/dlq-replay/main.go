// Command dlq-replay re-publishes dead letters into a partition log file so
// that streamd picks them up again.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/streamproc/internal/dlq"
	"example.com/streamproc/internal/record"
)

type config struct {
	dlqDir  string
	outPath string
	maxAge  time.Duration
	dryRun  bool
}

// mustConfig parses the flags and exits on invalid input; it runs before
// anything needs cleaning up.
func mustConfig() config {
	var c config
	flag.StringVar(&c.dlqDir, "dlq", "./data/dlq", "dead-letter directory")
	flag.StringVar(&c.outPath, "out", "", "partition log to append to")
	flag.DurationVar(&c.maxAge, "max-age", 24*time.Hour, "skip letters older than this")
	flag.BoolVar(&c.dryRun, "n", false, "dry run")
	flag.Parse()
	if c.outPath == "" && !c.dryRun {
		log.Fatal("dlq-replay: -out is required unless -n is given")
	}
	return c
}

// acquireLock creates a lock file so two replays never run at once.
func acquireLock(dir string) (string, error) {
	path := filepath.Join(dir, ".replay.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("another replay holds %s", path)
		}
		return "", err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// appendRecords writes the records to the partition log; the file's close
// error is the function's error when nothing failed before.
func appendRecords(path string, recs []record.Record) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, r := range recs {
		if err := record.Encode(f, r); err != nil {
			return err
		}
	}
	return f.Sync()
}

func main() {
	c := mustConfig()
	lock, err := acquireLock(c.dlqDir)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(lock)

	cutoff := time.Now().Add(-c.maxAge)
	var recs []record.Record
	n, err := dlq.Replay(c.dlqDir, func(e dlq.Entry) error {
		if e.At.After(cutoff) {
			recs = append(recs, e.Record)
		}
		return nil
	})
	if err != nil {
		log.Fatalf("read dead letters: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("%d letters, %d to replay\n", n, len(recs))
	if c.dryRun {
		return
	}
	if err := appendRecords(c.outPath, recs); err != nil {
		log.Printf("append: %v", err)
	}
}
