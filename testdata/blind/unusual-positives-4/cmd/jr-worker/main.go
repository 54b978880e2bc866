// Command jr-worker pulls task ids from a spool directory and runs them
// against the shared action cache.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/unusualpos4/internal/cache"
)

func main() {
	spool := flag.String("spool", "/var/spool/jr", "directory of queued task files")
	cacheDir := flag.String("cache", "/var/cache/jr", "action cache directory")
	interval := flag.Duration("interval", 2*time.Second, "poll interval")
	flag.Parse()

	dc, err := cache.OpenDisk(*cacheDir, 10000, log.Printf)
	if err != nil {
		log.Fatalf("jr-worker: %v", err)
	}
	slot, err := claimSlot(*spool)
	if err != nil {
		log.Fatalf("jr-worker: %v", err)
	}
	defer releaseSlot(slot)
	defer func() {
		if err := dc.SaveIndex(filepath.Join(*cacheDir, "index")); err != nil {
			log.Printf("jr-worker: saving index: %v", err)
		}
	}()

	for { // HAZ signal-skips-defer
		n, err := pollOnce(dc, *spool)
		if err != nil {
			log.Printf("jr-worker: %v", err)
		}
		if n == 0 {
			time.Sleep(*interval)
		}
	}
}

// claimSlot registers this worker in the spool so the dispatcher can see it.
func claimSlot(spool string) (string, error) {
	host, _ := os.Hostname()
	path := filepath.Join(spool, "workers", fmt.Sprintf("%s-%d", host, os.Getpid()))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(time.Now().Format(time.RFC3339)), 0o644); err != nil {
		return "", err
	}
	return path, nil
}

func releaseSlot(path string) {
	if err := os.Remove(path); err != nil {
		log.Printf("jr-worker: releasing slot: %v", err)
	}
}

// pollOnce processes the queued task files, oldest first, and reports how
// many it handled.
func pollOnce(dc *cache.DiskCache, spool string) (int, error) {
	matches, err := filepath.Glob(filepath.Join(spool, "*.task"))
	if err != nil {
		return 0, err
	}
	sort.Strings(matches)
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			return 0, err
		}
		key := strings.TrimSuffix(filepath.Base(m), ".task")
		if err := dc.Put(key, data); err != nil {
			return 0, err
		}
		if err := os.Remove(m); err != nil {
			return 0, err
		}
	}
	return len(matches), nil
}
