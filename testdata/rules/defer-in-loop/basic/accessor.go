package fixture

import "sync"

type catalog struct {
	mu      sync.Mutex
	entries map[string]int
}

func (c *catalog) lock() *sync.Mutex { return &c.mu }

// The accessor gives the catalog's one mutex in every iteration: the second chunk's Lock waits
// for the first chunk's deferred Unlock, which runs only when the function returns.
func (c *catalog) putChunks(keys []string, chunk int) {
	for start := 0; start < len(keys); start += chunk {
		mu := c.lock()
		mu.Lock()
		defer mu.Unlock() // want `mu is locked on line \d+ but the deferred mu\.Unlock\(\) runs only when catalog\.putChunks returns, so the next iteration's mu\.Lock\(\) deadlocks`
		end := min(start+chunk, len(keys))
		for _, k := range keys[start:end] {
			c.entries[k]++
		}
	}
}

// One catalog per iteration: each is locked and kept locked while the merge after the loop
// reads them all.
func mergeCatalogs(cats []*catalog) map[string]int {
	for _, c := range cats {
		mu := c.lock()
		mu.Lock()
		defer mu.Unlock()
	}
	out := map[string]int{}
	for _, c := range cats {
		for k, v := range c.entries {
			out[k] += v
		}
	}
	return out
}
