//go:build go1.21

// This file predates the module's move to Go 1.22; it was tagged go1.21 when
// it started using the min builtin, and it still builds with that language
// version.

package upstream

import (
	"context"
	"sync"
	"sync/atomic"
)

// maxWarm bounds how many mirrors are warmed at start-up.
const maxWarm = 8

// WarmMirrors fetches probe from the first mirrors so that their connection
// pools and TLS sessions are ready before traffic arrives. It returns how
// many mirrors answered.
func (c *Client) WarmMirrors(ctx context.Context, probe string) int {
	var wg sync.WaitGroup
	var ok atomic.Int32
	n := min(len(c.mirrors), maxWarm)
	for _, m := range c.mirrors[:n] {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.fetchFrom(ctx, m, probe); err == nil {
				ok.Add(1)
			}
		}()
		c.log.Printf("upstream: warming %s", m)
	}
	wg.Wait()
	return int(ok.Load())
}

// warmOne is the per-mirror step of WarmAll, taking the mirror as an argument.
func (c *Client) warmOne(ctx context.Context, mirror, probe string, ok *atomic.Int32, wg *sync.WaitGroup) {
	defer wg.Done()
	if _, err := c.fetchFrom(ctx, mirror, probe); err == nil {
		ok.Add(1)
	}
}

// WarmAll is WarmMirrors without the cap; each goroutine gets its mirror as
// an argument, so the shared loop variable of this file's Go version is
// harmless.
func (c *Client) WarmAll(ctx context.Context, probe string) int {
	var wg sync.WaitGroup
	var ok atomic.Int32
	for _, m := range c.mirrors {
		wg.Add(1)
		go c.warmOne(ctx, m, probe, &ok, &wg)
	}
	wg.Wait()
	return int(ok.Load())
}
