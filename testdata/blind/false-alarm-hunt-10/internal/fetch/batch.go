package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Result is the outcome of fetching one key.
type Result struct {
	Key  string
	Data []byte
	Err  error
}

// FetchAll downloads every key with at most c.parallel requests in flight.
func (c *Client) FetchAll(ctx context.Context, keys []string) (map[string][]byte, error) {
	results := make(chan Result, len(keys))
	sem := make(chan struct{}, c.parallel)
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			b, err := c.Get(ctx, k)
			results <- Result{Key: k, Data: b, Err: err}
		}()
	}
	wg.Wait()
	close(results)

	out := make(map[string][]byte, len(keys))
	var errs []error
	for r := range results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Key, r.Err))
			continue
		}
		out[r.Key] = r.Data
	}
	return out, errors.Join(errs...)
}

// Prefetch downloads keys into store and returns how many succeeded.
func (c *Client) Prefetch(ctx context.Context, keys []string, store func(string, []byte)) int {
	var wg sync.WaitGroup
	var ok atomic.Int64
	for _, k := range keys {
		wg.Add(1)
		go func() {
			b, err := c.Get(ctx, k)
			if err != nil {
				c.logf("prefetch %s: %v", k, err)
				return
			}
			store(k, b)
			ok.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(ok.Load())
}

// Warm issues a HEAD for every key so the store pages them in.
func (c *Client) Warm(ctx context.Context, keys []string) int {
	var wg sync.WaitGroup
	var ok atomic.Int64
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Head(ctx, k); err != nil {
				c.logf("warm %s: %v", k, err)
				return
			}
			ok.Add(1)
		}()
	}
	wg.Wait()
	return int(ok.Load())
}

func shardKey(n int) string { return fmt.Sprintf("shards/%04d/index", n) }

// WarmShards fetches the index of the first n shards.
func (c *Client) WarmShards(ctx context.Context, n int) {
	var wg sync.WaitGroup
	var shard int
	for shard = 0; shard < n; shard++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.Get(ctx, shardKey(shard)); err != nil {
				c.logf("warm shard: %v", err)
			}
		}()
	}
	wg.Wait()
	c.logf("warmed %d shards", shard)
}

// WarmShardsFrom fetches the shard indexes from first up to n.
func (c *Client) WarmShardsFrom(ctx context.Context, first, n int) {
	var wg sync.WaitGroup
	var shard int
	for shard = first; shard < n; shard++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			if _, err := c.Get(ctx, shardKey(s)); err != nil {
				c.logf("warm shard %d: %v", s, err)
			}
		}(shard)
	}
	wg.Wait()
	c.logf("warmed shards %d..%d", first, shard-1)
}

// Stream fetches keys concurrently and delivers results, in completion
// order, on the returned channel.
func (c *Client) Stream(ctx context.Context, keys []string) <-chan Result {
	out := make(chan Result)
	go c.streamInto(ctx, keys, out)
	return out
}

// streamInto is the producer behind Stream.
func (c *Client) streamInto(ctx context.Context, keys []string, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	sem := make(chan struct{}, c.parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			b, err := c.Get(ctx, k)
			out <- Result{Key: k, Data: b, Err: err}
		}()
	}
}

// StreamJoined is Stream for callers that need every result delivered
// before the channel closes.
func (c *Client) StreamJoined(ctx context.Context, keys []string) <-chan Result {
	out := make(chan Result)
	go c.streamJoined(ctx, keys, out)
	return out
}

// streamJoined waits for its senders by filling the semaphore before it
// closes out: a slot is only given back after the send has happened.
func (c *Client) streamJoined(ctx context.Context, keys []string, out chan<- Result) {
	defer close(out)
	sem := make(chan struct{}, c.parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			b, err := c.Get(ctx, k)
			out <- Result{Key: k, Data: b, Err: err}
		}()
	}
	for i := 0; i < cap(sem); i++ {
		sem <- struct{}{}
	}
}

// SumSizes totals the sizes arriving on every channel; it returns once all
// of them are closed.
func SumSizes(chans ...<-chan int64) int64 {
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, ch := range chans {
		wg.Add(1)
		go func() {
			var n int64
			for sz := range ch {
				n += sz
			}
			total.Add(n)
			wg.Done()
		}()
	}
	wg.Wait()
	return total.Load()
}
