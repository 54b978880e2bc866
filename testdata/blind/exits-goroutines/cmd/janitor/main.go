// Command janitor deletes expired upload fragments every few minutes until
// it is asked to stop.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/blindd/internal/svc"
)

func sweep(dir string, maxAge time.Duration) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < maxAge {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			removed++
		}
	}
	return removed, nil
}

func main() {
	dir := flag.String("dir", "/var/tmp/uploads", "fragment directory")
	leaseDir := flag.String("lease-dir", "/run", "lease directory")
	maxAge := flag.Duration("max-age", 6*time.Hour, "fragment age limit")
	flag.Parse()

	lease, err := svc.AcquireLease(*leaseDir, "janitor")
	if err != nil {
		log.Fatalf("janitor: %v", err) // ok: nothing deferred yet
	}
	defer lease.Release()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ticker := time.NewTicker(5 * time.Minute)
	defer ticker.Stop()

	for {
		select {
		case <-ctx.Done():
			log.Print("janitor: stopping")
			return
		case <-ticker.C:
			n, err := sweep(*dir, *maxAge)
			if err != nil {
				log.Printf("janitor: %v", err)
				continue
			}
			log.Printf("janitor: removed %d fragments", n)
		}
	}
}
