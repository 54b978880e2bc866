package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/sig/store"
)

// The same loop watching for SIGTERM: it returns, and the deferred flush runs. No finding.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, _ := store.Open("x")
	defer db.Flush()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			db.Flush()
		}
	}
}
