package fixture

import "sync"

type lockerCache struct {
	mu    sync.Mutex
	items map[string]int
}

func (c *lockerCache) set(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
}

// The mutex held through a sync.Locker naming it, then locked again by set.
func (c *lockerCache) replace(k string, v int) (old int) {
	var l sync.Locker = &c.mu
	l.Lock()
	defer l.Unlock()
	old = c.items[k]
	c.set(k, v) // want `c\.mu is locked on line \d+ and held until lockerCache\.replace returns .*c\.set\(k, v\) on line \d+ locks it again`
	return old
}

// A Locker naming another mutex: set's lock is a different one.
func (c *lockerCache) replaceOther(other *sync.Mutex, k string, v int) {
	var l sync.Locker = other
	l.Lock()
	defer l.Unlock()
	c.set(k, v)
}
