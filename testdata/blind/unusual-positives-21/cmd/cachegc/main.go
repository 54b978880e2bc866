// Command cachegc sweeps stale entries out of a cache directory.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"example.com/up21/internal/blob"
	"example.com/up21/internal/lease"
)

var exit = os.Exit

type config struct {
	dir    string
	maxAge time.Duration
	report string
	shards int
}

// die prints a message and exits. It registers no defers of its own.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cachegc: "+format+"\n", args...)
	exit(1)
}

// parseConfig parses the flags; usage errors exit before anything is opened.
func parseConfig(args []string) config {
	var cfg config
	fs := flag.NewFlagSet("cachegc", flag.ContinueOnError)
	fs.StringVar(&cfg.dir, "dir", "/var/cache/up21", "cache directory")
	fs.DurationVar(&cfg.maxAge, "max-age", 72*time.Hour, "evict entries unused for this long")
	fs.StringVar(&cfg.report, "report", "", "write a report to this file")
	fs.IntVar(&cfg.shards, "shards", 16, "index shards")
	if err := fs.Parse(args); err != nil {
		exit(2)
	}
	if cfg.maxAge <= 0 || cfg.shards <= 0 {
		fmt.Fprintln(os.Stderr, "cachegc: -max-age and -shards must be positive")
		exit(2)
	}
	return cfg
}

func writeReport(path string, freed int64, when time.Time) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "freed_bytes %d\n", freed)
	fmt.Fprintf(bw, "finished %s\n", when.Format(time.RFC3339))
	return bw.Flush()
}

func main() {
	cfg := parseConfig(os.Args[1:])
	l, err := lease.Acquire(cfg.dir)
	if err != nil {
		die("acquire lease: %v", err)
	}
	defer l.Release()

	idx := blob.NewSharded(cfg.shards, 1<<30)
	freed := idx.SweepIdle(time.Now().Add(-cfg.maxAge))
	fmt.Printf("cachegc: freed %d bytes\n", freed)
	if cfg.report == "" {
		return
	}
	if err := writeReport(cfg.report, freed, time.Now()); err != nil {
		die("write report: %v", err) // HAZ exit-skips-defer
	}
}
