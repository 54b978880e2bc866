// Command compactor periodically compacts a WAL directory.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah11/internal/compact"
)

func main() {
	dir := flag.String("dir", "", "WAL directory to compact")
	interval := flag.Duration("interval", time.Minute, "time between compactions")
	flag.Parse()

	logger := log.New(os.Stderr, "compactor ", log.LstdFlags)
	if *dir == "" {
		logger.Fatal("-dir is required")
	}

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := compact.New(*dir, logger, 1)

	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	for {
		select {
		case s := <-sigc:
			logger.Printf("received %v, exiting", s)
			return
		case <-ticker.C:
			if err := c.Run(ctx); err != nil {
				logger.Printf("compaction failed: %v", err)
			}
		}
	}
}
