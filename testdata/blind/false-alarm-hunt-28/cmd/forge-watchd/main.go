// Command forge-watchd rebuilds a workspace whenever its sources change. It
// runs as a user service or as a sidecar container, and writes a pid file
// that the editor plugins use to find it.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/fah28/internal/runner"
	"example.com/fah28/internal/watch"
)

func main() {
	root := flag.String("C", ".", "workspace to watch")
	interval := flag.Duration("interval", time.Second, "poll interval")
	flag.Parse()
	logger := log.New(os.Stderr, "forge-watchd: ", log.LstdFlags)

	pidFile := filepath.Join(*root, ".forge", "watchd.pid")
	if err := os.MkdirAll(filepath.Dir(pidFile), 0o755); err != nil {
		logger.Fatal(err)
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		logger.Fatal(err)
	}
	defer os.Remove(pidFile)

	w := watch.New(*root, *interval, 10*time.Minute, logger)
	w.StartStampPoller()
	ctx := context.Background()
	go w.Poll(ctx)
	go w.Serve(ctx, rebuilder(*root, logger))
	logger.Printf("watching %s", *root)
	select {} // HAZ signal-skips-defer
}

// rebuilder returns the rebuild callback: it runs "forge build" in root.
func rebuilder(root string, logger *log.Logger) func(context.Context, []string) error {
	r := runner.New(root, 10*time.Minute)
	r.Stdout = os.Stdout
	return func(ctx context.Context, changed []string) error {
		logger.Printf("%d files changed, rebuilding", len(changed))
		start := time.Now()
		if err := r.Run(ctx, "forge", "build"); err != nil {
			return err
		}
		logger.Printf("rebuilt in %s", time.Since(start).Round(time.Millisecond))
		return nil
	}
}
