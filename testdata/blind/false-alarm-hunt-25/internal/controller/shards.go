package controller

import (
	"context"
	"sync"

	"example.com/fah25/internal/workqueue"
)

// warmShards enqueues the keys of each shard concurrently and reports how many shards were
// started before ctx ended.
func (c *Controller) warmShards(ctx context.Context, shards [][]string) int {
	var (
		wg sync.WaitGroup
		i  int
	)
	for i = 0; i < len(shards); i++ {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, key := range shards[i] {
				c.queue.Add(key)
			}
		}()
	}
	wg.Wait()
	return i
}

// primeShards is the sharded warm-up used at start: every shard's keys are enqueued concurrently.
func (c *Controller) primeShards(ctx context.Context, keys []string, n int) int {
	shards := workqueue.Chunks(keys, n)
	var wg sync.WaitGroup
	started := 0
	for i := 0; i < len(shards); i++ {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		started++
		go func() {
			defer wg.Done()
			for _, key := range shards[i] {
				c.queue.Add(key)
			}
		}()
	}
	wg.Wait()
	return started
}

// Warm enqueues every cached key, spreading the work over n goroutines.
func (c *Controller) Warm(ctx context.Context, n int) int {
	keys := c.store.ListKeys()
	if len(keys) < 64 {
		return c.warmShards(ctx, [][]string{keys})
	}
	return c.primeShards(ctx, keys, n)
}
