// Command compactor periodically removes stale blobs. It handles SIGINT
// and SIGTERM so that its deferred cleanup runs on shutdown.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/modernapis/internal/fsstore"
	"example.com/modernapis/internal/pipeline"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("dir", "./data", "store directory")
	every := flag.Duration("every", 10*time.Minute, "compaction interval")
	flag.Parse()
	if *every <= 0 {
		fmt.Fprintln(os.Stderr, "compactor: -every must be positive")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := fsstore.Open(*dir)
	if err != nil {
		slog.Error("open", "err", err)
		return 1
	}
	defer store.Close()

	err = pipeline.Poll(ctx, *every, 365*24*time.Hour, func(ctx context.Context) (bool, error) {
		n, err := compact(store)
		slog.Info("compacted", "removed", n, "err", err)
		return false, nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("compactor", "err", err)
		return 1
	}
	return 0
}

// compact removes blobs whose names mark them as temporary.
func compact(store *fsstore.Store) (int, error) {
	var errs []error
	n := 0
	for name := range store.Names() {
		if !strings.HasPrefix(name, "tmp-") {
			continue
		}
		if err := store.Remove(name); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
