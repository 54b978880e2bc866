// Command sweeper periodically sweeps, compacts and verifies a spool
// directory. Only one sweeper may run per directory.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up18/internal/health"
)

func main() {
	dir := flag.String("dir", "/var/spool/up18", "spool directory")
	every := flag.Duration("every", time.Minute, "sweep interval")
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "remove files older than this")
	flag.Parse()

	lockPath := filepath.Join(*dir, ".sweeper.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		log.Fatalf("another sweeper holds %s: %v", lockPath, err)
	}
	if err := lock.Close(); err != nil {
		log.Fatalf("lock: %v", err)
	}
	defer os.Remove(lockPath)

	mon := health.NewMonitor(time.Second, 1)
scan:
	for { // HAZ signal-skips-defer
		time.Sleep(*every)
		segs, err := filepath.Glob(filepath.Join(*dir, "seg-*.log"))
		if err != nil {
			log.Printf("list: %v", err)
			continue scan
		}
		for _, err := range mon.Maintain([]string{*dir}, segs, *maxAge) {
			log.Printf("maintain: %v", err)
		}
	}
}
