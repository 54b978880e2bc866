// Command archiver watches a node's WAL directory and copies every sealed
// segment into the archive mount.
package main

import (
	"context"
	"flag"
	"log"
	"path/filepath"
	"slices"
	"time"

	"example.com/fah19/internal/monitor"
	"example.com/fah19/internal/storage"
)

// watchSegments sends every sealed segment of dir on out, once. The newest
// segment is still being written and is left alone.
func watchSegments(dir string, poll time.Duration, out chan<- string) {
	seen := make(map[string]bool)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		names, err := filepath.Glob(filepath.Join(dir, "*.wal"))
		if err != nil {
			log.Printf("archiver: %v", err)
		}
		slices.Sort(names)
		if len(names) > 0 {
			names = names[:len(names)-1]
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out <- n
			}
		}
		<-t.C
	}
}

func main() {
	walDir := flag.String("wal", "data/wal", "WAL directory to watch")
	archiveDir := flag.String("archive", "/mnt/archive", "archive directory")
	poll := flag.Duration("poll", 30*time.Second, "poll interval")
	flag.Parse()

	// Only one archiver may write into an archive directory.
	lock, err := storage.LockDir(*archiveDir)
	if err != nil {
		log.Fatalf("archiver: %v", err)
	}
	defer lock.Release()

	segments := make(chan string, 16)
	a := monitor.NewArchiver(*archiveDir, segments)
	go func() {
		if err := a.Drain(context.Background()); err != nil {
			log.Printf("archiver: %v", err)
		}
	}()
	go watchSegments(*walDir, *poll, segments)
	log.Printf("archiver: watching %s", *walDir)
	select {} // HAZ signal-skips-defer
}
