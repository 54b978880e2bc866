//go:build go1.21

// This file is still built by the fleet's go1.21 image for the legacy ARMv6
// gateways, so it keeps the go1.21 language version.

package gateway

import (
	"fmt"
	"sync"
	"time"
)

// summarize renders the one-line dashboard summary of d.
func summarize(d Device) string {
	state := "offline"
	if d.Online {
		state = "online"
	}
	return fmt.Sprintf("%s %s fw=%s seen %s ago", d.ID, state, d.Firmware, time.Since(d.LastSeen).Round(time.Second))
}

// WarmCache precomputes the dashboard summary of every device so the first
// page load is fast, and returns how many summaries were started.
func (g *Gateway) WarmCache() int {
	devs := g.reg.List()
	var wg sync.WaitGroup
	started := 0
	for _, d := range devs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			g.cache.Store(d.ID, summarize(d))
		}()
		started++
	}
	wg.Wait()
	return started
}

// Summaries returns the cached summaries. The loop variables are passed as
// arguments, which is correct at every language version.
func (g *Gateway) Summaries(ids []string) []string {
	out := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id string) {
			defer wg.Done()
			if v, ok := g.cache.Load(id); ok {
				out[i] = v.(string)
			}
		}(i, id)
	}
	wg.Wait()
	return out
}
