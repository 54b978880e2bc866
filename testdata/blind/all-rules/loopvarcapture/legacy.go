//go:build go1.21

// This file still builds with go1.21 loop semantics: one variable per loop.

package fanout

import (
	"context"
	"log"
	"net/http"
	"sync"
	"time"
)

// PingAll pings every peer concurrently.
func (c *Cluster) PingAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range c.peers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.ping(ctx, p)
		}()
		c.pinged.Add(1)
	}
	wg.Wait()
}

// FlushShards logs every shard id at exit and flushes them now.
func (c *Cluster) FlushShards() {
	for i := 0; i < len(c.shards); i++ { // HAZ defer-in-loop
		defer func() { // HAZ loop-var-capture
			log.Printf("shard %d flushed", i)
		}()
		c.shards[i].flush()
	}
}

// Replicate copies every key/value to the replica concurrently.
func (c *Cluster) Replicate(data map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range data {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.store(k, v)
		}()
		c.replicated.Add(1)
	}
	wg.Wait()
}

// FlushAsync flushes shards in the background.
func (c *Cluster) FlushAsync() {
	for _, sh := range c.shards {
		go func() { // HAZ loop-var-capture
			sh.flush()
		}()
		log.Printf("scheduled flush of shard %d", sh.id)
	}
}

// FanOut applies fn to every item concurrently.
func FanOut[T any](items []T, fn func(T)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(it)
		}()
		runtimeYield()
	}
	wg.Wait()
}

// FetchAll downloads every URL and sends the status codes.
func (c *Cluster) FetchAll(urls []string, results chan<- int) {
	for _, u := range urls {
		go func() { // HAZ loop-var-capture
			resp, err := http.Get(u)
			if err != nil {
				results <- 0
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		}()
		time.Sleep(c.stagger)
	}
}

// WatchPeers starts a watcher per peer until ctx ends.
func (c *Cluster) WatchPeers(ctx context.Context) {
	for idx := range c.peers {
		go func() { // HAZ loop-var-capture
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					c.ping(ctx, c.peers[idx])
				}
			}
		}()
		c.watching.Add(1)
	}
}

// ---- negatives (same go1.21 semantics) ----

// PingAllArg passes the peer as an argument.
func (c *Cluster) PingAllArg(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range c.peers {
		wg.Add(1)
		go func(p Peer) { // ok: passed as an argument
			defer wg.Done()
			c.ping(ctx, p)
		}(p)
	}
	wg.Wait()
}

// ReplicateCopy shadows the loop variables.
func (c *Cluster) ReplicateCopy(data map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range data {
		k, v := k, v
		wg.Add(1)
		go func() { // ok: per-iteration copies
			defer wg.Done()
			c.store(k, v)
		}()
	}
	wg.Wait()
}

// FlushSync calls the literal synchronously inside the iteration.
func (c *Cluster) FlushSync() {
	for _, sh := range c.shards {
		func() {
			sh.flush() // ok: not go or defer
		}()
	}
}

// FlushIndexed copies the element into a body-local variable.
func (c *Cluster) FlushIndexed() {
	for i := 0; i < len(c.shards); i++ {
		sh := c.shards[i]
		go func() { // ok: sh is declared in the body
			sh.flush()
		}()
	}
}

// PingSerial waits for each goroutine before the next iteration.
func (c *Cluster) PingSerial(ctx context.Context) {
	for _, p := range c.peers {
		done := make(chan struct{})
		go func() { // ok: the loop blocks until the goroutine finished
			defer close(done)
			c.ping(ctx, p)
		}()
		<-done
	}
}

// PingMethod evaluates the argument at the go statement.
func (c *Cluster) PingMethod(ctx context.Context) {
	for _, p := range c.peers {
		go c.ping(ctx, p) // ok: no function literal, p is evaluated now
	}
}

func runtimeYield() { time.Sleep(0) }
