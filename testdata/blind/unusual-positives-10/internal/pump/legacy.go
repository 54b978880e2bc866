//go:build go1.21

// This file is built with the go1.21 language version (the build line
// downgrades it below the module's go 1.22): range variables are shared by
// all iterations here.

package pump

import (
	"context"
	"sync"
)

// PingAll pings every replica concurrently.
func (c *Client) PingAll(ctx context.Context) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		res = make(map[string]error, len(c.replicas))
	)
	for _, addr := range c.replicas {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			err := c.ping(ctx, addr)
			mu.Lock()
			res[addr] = err
			mu.Unlock()
		}()
		c.pings.Add(1)
	}
	wg.Wait()
	return res
}

// PingEach is PingAll with the range variable copied per iteration.
func (c *Client) PingEach(ctx context.Context) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		res = make(map[string]error, len(c.replicas))
	)
	for _, addr := range c.replicas {
		addr := addr
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.ping(ctx, addr)
			mu.Lock()
			res[addr] = err
			mu.Unlock()
		}()
		c.pings.Add(1)
	}
	wg.Wait()
	return res
}
