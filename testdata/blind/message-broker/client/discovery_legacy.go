//go:build go1.21

// Broker discovery helpers, kept on go1.21 semantics by the constraint
// above until the file is migrated.

package client

import (
	"net"
	"sort"
	"sync"
	"time"
)

// PingAll measures the TCP connect latency of every address.
func (c *Client) PingAll(addrs []string) map[string]time.Duration {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make(map[string]time.Duration, len(addrs))
	launched := 0
	for _, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			nc, err := net.DialTimeout("tcp", addr, c.cfg.DialTimeout) // HAZ loop-var-capture
			if err != nil {
				return
			}
			nc.Close()
			mu.Lock()
			out[addr] = time.Since(start)
			mu.Unlock()
		}()
		launched++
	}
	wg.Wait()
	return out
}

// ResolveAll resolves host names concurrently; the loop variable is passed
// as an argument, so go1.21 semantics do not matter here.
func ResolveAll(hosts []string) []string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var addrs []string
	for _, h := range hosts {
		wg.Add(1)
		go func(host string) {
			defer wg.Done()
			ips, err := net.LookupHost(host)
			if err != nil {
				return
			}
			mu.Lock()
			addrs = append(addrs, ips...)
			mu.Unlock()
		}(h)
	}
	wg.Wait()
	sort.Strings(addrs)
	return addrs
}

// Fastest returns the address with the lowest connect latency.
func (c *Client) Fastest(addrs []string) (string, bool) {
	lat := c.PingAll(addrs)
	best, found := "", false
	for addr, d := range lat {
		if !found || d < lat[best] {
			best, found = addr, true
		}
	}
	return best, found
}
