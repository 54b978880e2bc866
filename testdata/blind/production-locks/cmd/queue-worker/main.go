// Command queue-worker consumes jobs from the local spool directory.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

func consume(ctx context.Context, log *slog.Logger, dir string, id int) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			matches, err := filepath.Glob(filepath.Join(dir, "*.job"))
			if err != nil {
				log.Warn("scan spool", "err", err)
				continue
			}
			for _, m := range matches {
				if err := os.Remove(m); err == nil {
					log.Info("processed job", "worker", id, "job", filepath.Base(m))
				}
			}
		}
	}
}

func main() {
	dir := flag.String("spool", "/var/spool/jobs", "spool directory")
	n := flag.Int("workers", 2, "workers")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	lockPath := filepath.Join(*dir, ".worker.lock")
	if err := os.WriteFile(lockPath, []byte("locked\n"), 0o600); err != nil {
		log.Error("lock spool", "err", err)
		os.Exit(1)
	}
	defer os.Remove(lockPath)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			consume(ctx, log, *dir, i)
		}()
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	sig := <-sigs // ok: blocks on the signal itself, then unwinds normally
	log.Info("stopping", "signal", sig.String())
	cancel()
	wg.Wait()
}
