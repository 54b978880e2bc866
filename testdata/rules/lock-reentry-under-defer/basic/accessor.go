package fixture

import "sync"

type counters struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counters) lock() *sync.Mutex { return &c.mu }

// total takes the lock through the accessor.
func (c *counters) total() int {
	mu := c.lock()
	mu.Lock()
	defer mu.Unlock()
	t := 0
	for _, v := range c.n {
		t += v
	}
	return t
}

// totalLocked expects the caller to hold the lock.
func (c *counters) totalLocked() int {
	t := 0
	for _, v := range c.n {
		t += v
	}
	return t
}

// share holds c.mu (through the accessor) and calls total, which takes it again.
func (c *counters) share(name string) float64 {
	mu := c.lock()
	mu.Lock()
	defer mu.Unlock()
	return float64(c.n[name]) / float64(c.total()) // want `mu is locked on line \d+ and held until counters\.share returns \(deferred unlock on line \d+\), but c\.total\(\) on line \d+ locks it again`
}

// shareLocked calls the variant meant for holders of the lock.
func (c *counters) shareLocked(name string) float64 {
	mu := c.lock()
	mu.Lock()
	defer mu.Unlock()
	return float64(c.n[name]) / float64(c.totalLocked())
}
