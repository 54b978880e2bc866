package cache

import (
	"context"
	"log"
	"time"
)

// Refresher re-fetches entries shortly before they expire so hot keys never
// miss.
type Refresher struct {
	lru     *LRU
	fetch   func(ctx context.Context, key string) (*Entry, error)
	every   time.Duration
	timeout time.Duration
	logger  *log.Logger
}

// NewRefresher returns a refresher that calls fetch for expiring keys.
func NewRefresher(lru *LRU, fetch func(context.Context, string) (*Entry, error), every time.Duration, logger *log.Logger) *Refresher {
	return &Refresher{lru: lru, fetch: fetch, every: every, timeout: every / 2, logger: logger}
}

// refreshOne re-fetches key; a failure leaves the old entry to expire.
func (rf *Refresher) refreshOne(ctx context.Context, key string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	e, err := rf.fetch(ctx, key)
	if err != nil {
		rf.logger.Printf("refresh %s: %v", key, err)
		return
	}
	rf.lru.Add(e)
}

// Run refreshes expiring keys every interval until ctx is done.
func (rf *Refresher) Run(ctx context.Context) {
	t := time.NewTicker(rf.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, key := range rf.lru.expiringBefore(now.Add(rf.every)) {
				func() {
					kctx, cancel := context.WithTimeout(ctx, rf.timeout)
					defer cancel()
					rf.refreshOne(kctx, key)
				}()
			}
		}
	}
}

// Consume refreshes keys pushed by the invalidation listener, one at a time.
func (rf *Refresher) Consume(keys <-chan string) {
	for key := range keys {
		ctx, cancel := context.WithTimeout(context.Background(), rf.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		rf.refreshOne(ctx, key)
	}
}
