// Command up7-gc removes old files from the spool.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up7/internal/spool"
)

// fatal logs err and exits.
func fatal(err error) {
	log.Fatalf("up7-gc: %v", err)
}

// sweep removes regular files older than maxAge and reports how many.
func sweep(dir string, maxAge time.Duration, dry bool) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-maxAge)
	removed := 0
	for _, e := range entries {
		if e.Name() == spool.LeaseFile || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue
		}
		if !dry {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return removed, err
			}
		}
		removed++
	}
	return removed, nil
}

func main() {
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "remove files older than this")
	dry := flag.Bool("n", false, "only count what would be removed")
	flag.Parse()
	dir := spool.Dir()
	lease, err := spool.Acquire(dir)
	if err != nil {
		fatal(err)
	}
	defer lease.Release()
	removed, err := sweep(dir, *maxAge, *dry)
	if err != nil {
		fatal(err) // HAZ exit-skips-defer
	}
	log.Printf("up7-gc: removed %d files from %s", removed, dir)
}
