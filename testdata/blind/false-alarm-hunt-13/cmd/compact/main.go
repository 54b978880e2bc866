// Command compact runs one compaction, snapshot or prune against a stopped
// node's data directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah13/internal/compactor"
	"example.com/fah13/internal/kv"
	"example.com/fah13/internal/lock"
	"example.com/fah13/internal/trace"
	"example.com/fah13/internal/wal"
)

type config struct {
	dir      string
	mode     string
	keep     int
	snapshot string
	timeout  time.Duration
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	fs.StringVar(&cfg.dir, "dir", "", "data directory")
	fs.StringVar(&cfg.mode, "mode", "compact", "compact|snapshot|prune|verify")
	fs.IntVar(&cfg.keep, "keep", 2, "segments (or archives, for prune) to keep")
	fs.StringVar(&cfg.snapshot, "out", "snapshot.wal.gz", "snapshot output path")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "overall deadline")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.dir == "" {
		return config{}, errors.New("-dir is required")
	}
	return cfg, nil
}

// main exits with a non-zero status through a deferred function registered
// first, so it runs after every other deferred call of main. Validation
// failures exit before anything is deferred.
func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	code := 0
	defer func() {
		if code != 0 {
			os.Exit(code)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	logger := log.New(os.Stderr, "compact: ", log.LstdFlags)
	if err := execute(ctx, cfg, logger); err != nil {
		logger.Print(err)
		code = 1
		return
	}
}

// mustLoad replays the WAL in dir into a fresh store while holding the
// data directory lock, so a node cannot start underneath it.
func mustLoad(dir string, logger *log.Logger) *kv.Store {
	lk, err := lock.Acquire(filepath.Join(dir, "LOCK"))
	if err != nil {
		logger.Fatalf("lock %s: %v (is kvd running?)", dir, err)
	}
	defer lk.Release()

	store := kv.NewStore()
	if _, err := wal.ReplayDir(dir, func(r wal.Record) error {
		if r.Delete {
			store.Delete(r.Key)
		} else {
			store.Put(r.Key, r.Value)
		}
		return nil
	}); err != nil {
		logger.Fatalf("replay %s: %v", dir, err) // HAZ exit-skips-defer
	}
	return store
}

func execute(ctx context.Context, cfg config, logger *log.Logger) error {
	store := mustLoad(cfg.dir, logger)
	c := compactor.New(store, cfg.dir, cfg.keep, trace.NewRecorder(64), logger)
	switch cfg.mode {
	case "compact":
		return c.Run(ctx)
	case "snapshot":
		return c.Snapshot(ctx, cfg.snapshot)
	case "prune":
		return c.Prune(ctx, cfg.keep)
	case "verify":
		return c.Verify(ctx)
	default:
		return fmt.Errorf("unknown mode %q", cfg.mode)
	}
}
