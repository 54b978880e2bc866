// Command probe checks that a list of tiles can be fetched from the origin.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up22/internal/cache"
	"example.com/up22/internal/fetch"
)

func main() {
	origin := flag.String("origin", "http://origin.internal", "origin base URL")
	every := flag.Duration("every", 30*time.Second, "probe interval")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatalf("usage: probe [-origin URL] KEY...")
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)

	logger := log.New(os.Stderr, "probe: ", log.LstdFlags)
	client := fetch.NewClient(*origin, cache.New[string, []byte](time.Minute), logger)
	defer client.Close()
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		select {
		case s := <-sigs:
			logger.Printf("%v: stopping", s)
			return
		case <-tick.C:
			probeAll(client, flag.Args(), *every/2, logger)
		}
	}
}

func probeAll(c *fetch.Client, keys []string, budget time.Duration, logger *log.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	results := c.CollectUntil(ctx, keys, budget)
	failed := len(keys) - len(results)
	for _, r := range results {
		if r.Err != nil {
			failed++
			logger.Printf("%s: %v", r.Key, r.Err)
		}
	}
	logger.Printf("%d/%d tiles ok", len(keys)-failed, len(keys))
}
