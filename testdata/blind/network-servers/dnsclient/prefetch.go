//go:build go1.21

package dnsclient

import (
	"context"
	"sync"
	"time"
)

// Prefetch warms the cache for names that are missing or expired. It
// returns how many lookups it started.
func (c *Client) Prefetch(names []string) int {
	started := 0
	for _, name := range names {
		if c.cache.fresh(name) {
			continue
		}
		go func() { // HAZ loop-var-capture
			ctx, cancel := context.WithTimeout(context.Background(), 5*c.timeout)
			defer cancel()
			_, _ = c.Resolve(ctx, name)
		}()
		started++
	}
	return started
}

// PrefetchWait is Prefetch that waits for the lookups to finish.
func (c *Client) PrefetchWait(ctx context.Context, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		if c.cache.fresh(name) {
			continue
		}
		wg.Add(1)
		go func(name string) { // ok: name is passed as an argument
			defer wg.Done()
			_, _ = c.Resolve(ctx, name)
		}(name)
	}
	wg.Wait()
}

// ServerLatencies measures every server concurrently; -1 marks a failure.
func (c *Client) ServerLatencies(ctx context.Context) []time.Duration {
	out := make([]time.Duration, len(c.servers))
	var wg sync.WaitGroup
	for i, srv := range c.servers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			start := time.Now()
			if _, err := c.exchangeOnce(ctx, srv, ".", TypeNS); err != nil {
				out[i] = -1
				return
			}
			out[i] = time.Since(start)
		}()
		c.probes.Add(1)
	}
	wg.Wait()
	return out
}

// ServerErrors probes every server and returns the error of each.
func (c *Client) ServerErrors(ctx context.Context) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(c.servers))
	)
	for _, srv := range c.servers {
		srv := srv // ok: per-iteration copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.exchangeOnce(ctx, srv, ".", TypeNS)
			mu.Lock()
			defer mu.Unlock()
			out[srv] = err
		}()
		c.probes.Add(1)
	}
	wg.Wait()
	return out
}
