package fixture

import "sync"

// catGuard is embedded wherever catalog state needs a mutex.
type catGuard struct {
	sync.Mutex
}

type catIndex struct {
	catGuard
	entries map[string]int
	order   []string
}

// catalog embeds the index, and with it the guard: c.Lock() and c.catGuard.Lock() take the same mutex.
type catalog struct {
	catIndex
	name string
}

func (c *catalog) names() []string {
	c.Lock()
	defer c.Unlock()
	return append([]string(nil), c.order...)
}

// The guard is taken through its promoted field, then names takes it again through the promoted method.
func (c *catalog) prune(keep func(int) bool) int {
	c.catGuard.Lock()
	defer c.catGuard.Unlock()
	removed := 0
	for _, n := range c.names() { // want `names\(\) on line \d+ locks it again`
		if !keep(c.entries[n]) {
			delete(c.entries, n)
			removed++
		}
	}
	return removed
}

// The same walk over a copy taken before the lock. No finding.
func (c *catalog) pruneCopy(keep func(int) bool) int {
	names := c.names()
	c.catGuard.Lock()
	defer c.catGuard.Unlock()
	removed := 0
	for _, n := range names {
		if !keep(c.entries[n]) {
			delete(c.entries, n)
			removed++
		}
	}
	return removed
}
