// Command reindex periodically purges expired cache entries until it
// receives SIGINT or SIGTERM.
package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindg/internal/cache"
)

func main() {
	logger := log.New(os.Stderr, "reindex ", log.LstdFlags|log.Lmsgprefix)

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)

	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()

	c := cache.New(nil, nil)
	for {
		select {
		case s := <-sigc:
			logger.Printf("received %s, exiting", s)
			return
		case <-ticker.C:
			logger.Printf("purged %d expired entries", c.PurgeExpired())
		}
	}
}
