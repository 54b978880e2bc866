// Command materializer loads the latest offline partitions into a cache and
// publishes a snapshot directory for the serving replicas to pick up.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/materialize"
	"example.com/featurestore/internal/metrics"
)

func main() {
	src := flag.String("src", "", "directory of partition files")
	out := flag.String("out", "", "directory of published snapshots")
	view := flag.String("view", "default", "feature view name")
	workers := flag.Int("workers", 4, "concurrent partition readers")
	lockPath := flag.String("lock", filepath.Join(os.TempDir(), "materializer.lock"), "run lock file")
	flag.Parse()
	if *src == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}

	lock, err := os.OpenFile(*lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("materializer: another run holds %s: %v", *lockPath, err)
	}
	fmt.Fprintf(lock, "%d\n", os.Getpid())
	lock.Close()
	defer os.Remove(*lockPath)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := metrics.NewRegistry()
	store := cache.New(64, 24*time.Hour, m)
	mat := materialize.New(materialize.Config{
		View:      *view,
		SourceDir: *src,
		OutDir:    *out,
		Workers:   *workers,
	}, store, m)
	if err := mat.Run(ctx); err != nil {
		log.Fatalf("materializer: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("materializer: done, %d keys", store.Len())
}
