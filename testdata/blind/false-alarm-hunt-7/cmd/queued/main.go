// Command queued serves the admin API over a file-backed queue and an LRU
// cache until it receives SIGINT or SIGTERM.
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

	"example.com/falsealarm7/cache"
	"example.com/falsealarm7/eventbus"
	"example.com/falsealarm7/fqueue"
	"example.com/falsealarm7/httpx"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "", "queue directory")
	size := flag.Int("cache", 1024, "cache entries")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "queued: -dir is required")
		os.Exit(2)
	}
	q, err := fqueue.Open(*dir, fqueue.Options{})
	if err != nil {
		log.Fatalf("queued: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer closeQueue(q)

	logger := log.New(os.Stderr, "queued ", log.LstdFlags)
	bus := eventbus.New(eventbus.WithLogger(logger))
	defer bus.Close()
	if _, err := bus.Subscribe("*", journal(q)); err != nil {
		logger.Printf("subscribe: %v", err)
		return
	}
	store := cache.NewLRU(*size, func(k, _ string, r cache.EvictReason) {
		bus.Notify(context.Background(), "cache.evict", k+" ("+r.String()+")")
	})
	srv := httpx.NewServer(ctx, store, bus, logger)
	if err := srv.ListenAndServe(ctx, *addr, 10*time.Second); err != nil {
		logger.Printf("serve: %v", err)
	}
}

// journal appends every event to the queue.
func journal(q *fqueue.Queue) eventbus.Handler {
	return func(_ context.Context, ev eventbus.Event) error {
		return q.Append([]byte(fmt.Sprintf("%d %s %v", ev.Seq, ev.Topic, ev.Payload)))
	}
}

// closeQueue closes q and logs the error instead of dropping it.
func closeQueue(q *fqueue.Queue) {
	if err := q.Close(); err != nil {
		log.Printf("queued: close queue: %v", err)
	}
}
