// Command janitor removes expired entries from the registry snapshot
// directory at a fixed interval.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"
)

func sweep(dir string, maxAge time.Duration) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	cutoff := time.Now().Add(-maxAge)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				log.Printf("janitor: %v", err)
				continue
			}
			removed++
		}
	}
	return removed, nil
}

func main() {
	dir := flag.String("dir", "/var/lib/registry/snapshots", "snapshot directory")
	maxAge := flag.Duration("max-age", 24*time.Hour, "remove entries older than this")
	every := flag.Duration("every", time.Minute, "sweep interval")
	flag.Parse()

	pid := filepath.Join(*dir, ".janitor.pid")
	if err := os.WriteFile(pid, []byte("janitor\n"), 0o644); err != nil {
		log.Fatalf("janitor: %v", err)
	}
	defer os.Remove(pid)

	for { // HAZ signal-skips-defer
		n, err := sweep(*dir, *maxAge)
		if err != nil {
			log.Printf("janitor: sweep: %v", err)
		} else if n > 0 {
			log.Printf("janitor: removed %d entries", n)
		}
		time.Sleep(*every)
	}
}
