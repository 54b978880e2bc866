// Command tidearchive archives every segment stream once and exits.
// It is run from a systemd timer; a lock file keeps runs from overlapping.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/up20/internal/index"
	"example.com/up20/internal/metrics"
	"example.com/up20/internal/pipeline"
	"example.com/up20/internal/segment"
)

func main() {
	segDir := flag.String("segments", "/var/lib/tidepool/segments", "segment directory")
	outDir := flag.String("out", "", "archive directory")
	lockPath := flag.String("lock", "/run/tidearchive.lock", "lock file")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("tidearchive: ")

	if *outDir == "" {
		fatalf("-out is required")
	}
	release, err := acquireLock(*lockPath)
	if err != nil {
		fatalf("lock: %v", err)
	}
	defer release()

	dir := segment.NewDir(*segDir)
	streams, err := listStreams(dir)
	if err != nil {
		fatalf("list %s: %v", dir.Root(), err) // HAZ exit-skips-defer
	}
	logger := log.Default()
	p := pipeline.New(dir, *outDir, index.New(logger), metrics.NewRecorder(), pipeline.NewAudit(os.Stderr), logger)
	if err := p.ArchiveAll(streams); err != nil {
		log.Printf("%v", err)
	}
}

// fatalf reports a fatal error and exits with status 1.
func fatalf(format string, args ...any) {
	log.Fatalf(format, args...)
}

// acquireLock creates the lock file and returns the func that removes it.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() {
		if err := os.Remove(path); err != nil {
			log.Printf("release lock: %v", err)
		}
	}, nil
}

// listStreams returns the distinct stream names of dir, in List order.
func listStreams(dir *segment.Dir) ([]string, error) {
	segs, err := dir.List()
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	var streams []string
	for _, s := range segs {
		if !seen[s.Stream] {
			seen[s.Stream] = true
			streams = append(streams, s.Stream)
		}
	}
	return streams, nil
}
