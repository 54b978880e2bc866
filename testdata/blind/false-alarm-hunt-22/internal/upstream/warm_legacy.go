//go:build go1.21

// This file is kept buildable with the go1.21 toolchain that the legacy
// edge fleet still uses to build the warm-up tool.

package upstream

import (
	"context"
	"sync"
	"sync/atomic"
)

// Warm requests every path once, in parallel, so that the connection pool
// is populated before traffic arrives. It reports how many succeeded.
func (c *Client) Warm(ctx context.Context, paths []string) int {
	var (
		wg       sync.WaitGroup
		ok       atomic.Int64
		launched int
	)
	for _, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.fetchBytes(ctx, p); err == nil {
				ok.Add(1)
			}
		}()
		launched++
	}
	wg.Wait()
	c.lg.Printf("upstream: warmed %d/%d paths", ok.Load(), launched)
	return int(ok.Load())
}
