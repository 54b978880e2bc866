package fixture

import (
	"errors"
	"sync"
)

type evictor struct {
	mu    sync.Mutex
	items map[string]int
}

// Locked through a method expression, then left on the early return.
func (c *evictor) evictN(n int) (int, error) {
	(*sync.Mutex).Lock(&c.mu) // want `c\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if n <= 0 {
		return 0, errors.New("n must be positive")
	}
	k := 0
	for key := range c.items {
		if k == n {
			break
		}
		delete(c.items, key)
		k++
	}
	(*sync.Mutex).Unlock(&c.mu)
	return k, nil
}

// Released on every path.
func (c *evictor) count() int {
	(*sync.Mutex).Lock(&c.mu)
	defer (*sync.Mutex).Unlock(&c.mu)
	return len(c.items)
}
