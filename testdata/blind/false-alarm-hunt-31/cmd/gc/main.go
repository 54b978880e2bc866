// Command gc removes working directories of objects that no longer exist.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/finalizer"
	"example.com/fah31/internal/source"
)

func liveKeys(ctx context.Context, dir string) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	objs, err := source.NewDir(dir, time.Second).List(ctx)
	if err != nil {
		return nil, err
	}
	live := make(map[string]bool, len(objs))
	for _, o := range objs {
		live[api.KeyOf(o)] = true
	}
	return live, nil
}

func sweep(ctx context.Context, objectsDir, workDir string, minAge time.Duration, dryRun bool) (int, error) {
	live, err := liveKeys(ctx, objectsDir)
	if err != nil {
		return 0, fmt.Errorf("list objects: %w", err)
	}
	if dryRun {
		log.Printf("gc: %d live objects; dry run, nothing removed", len(live))
		return 0, nil
	}
	removed, err := finalizer.NewCleaner(workDir, false, nil).SweepOrphans(live, minAge)
	for _, p := range removed {
		log.Printf("gc: removed %s", p)
	}
	return len(removed), err
}

func main() {
	objectsDir := flag.String("objects", "objects", "manifest directory")
	workDir := flag.String("workdir", "work", "working directory root")
	minAge := flag.Duration("min-age", time.Hour, "only remove directories older than this")
	dryRun := flag.Bool("n", false, "dry run")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	n, err := sweep(ctx, *objectsDir, *workDir, *minAge, *dryRun)
	stop()
	if err != nil {
		log.Fatalf("gc: %v", err)
	}
	log.Printf("gc: removed %d directories", n)
}
