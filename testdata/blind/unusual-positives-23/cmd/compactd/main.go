// Command compactd periodically compacts a store and persists its index.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up23/internal/store"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("data", "data", "data directory")
	every := flag.Duration("every", time.Minute, "compaction interval")
	flag.Parse()

	logger := log.New(os.Stderr, "compactd ", log.LstdFlags|log.Lmsgprefix)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(*dir, 8, logger)
	if err != nil {
		logger.Printf("open store: %v", err)
		return 1
	}
	defer func() {
		if err := st.SaveIndex(); err != nil {
			logger.Printf("save index: %v", err)
		}
	}()
	if _, err := st.LoadIndex(); err != nil && !os.IsNotExist(err) {
		logger.Printf("load index: %v", err)
		return 1
	}

	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			logger.Printf("shutting down: %v", context.Cause(ctx))
			return 0
		case <-t.C:
			freed := st.CompactEach()
			removed := st.Catalog().Compact()
			logger.Printf("compacted: %d bytes, %d ids freed", freed, removed)
		}
	}
}
