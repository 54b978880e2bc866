// Locks that are not taken again while held: no findings.
package fixture

import "sync"

type Cache struct {
	mu    sync.Mutex
	other *Cache
	data  map[string]int
}

// The idiom, nothing locked again.
func (c *Cache) Get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(k)
}

// Expects the lock to be held: does not lock.
func (c *Cache) getLocked(k string) int { return c.data[k] }

// Locks a different instance's mutex.
func (c *Cache) Sync() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.other.set("k", 1)
}

func (c *Cache) set(k string, v int) {
	c.mu.Lock()
	c.data[k] = v
	c.mu.Unlock()
}

// Released before the call.
func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mu.Unlock()
	c.set("a", 1)
	c.mu.Lock()
}

// The locking call runs in another goroutine.
func (c *Cache) Async() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.set("b", 2)
}

// Called before the lock is taken.
func (c *Cache) Before() {
	c.set("c", 3)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data["d"] = 4
}

// No deferred unlock: the lock is not held until exit.
func (c *Cache) Explicit() {
	c.mu.Lock()
	c.data["e"] = 5
	c.mu.Unlock()
	c.set("f", 6)
}

// The callee locks another mutex.
type Pair struct {
	a, b sync.Mutex
	n    int
}

func (p *Pair) Outer() {
	p.a.Lock()
	defer p.a.Unlock()
	p.inner()
}

func (p *Pair) inner() {
	p.b.Lock()
	defer p.b.Unlock()
	p.n++
}

// A deferred call registered before the deferred unlock runs after it.
func (c *Cache) Close() {
	defer c.set("closed", 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data = nil
}

// A function literal stored and not called under the lock.
func (c *Cache) Later() func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	return func() { c.set("later", 1) }
}

// The callee unlocks before locking again.
func (c *Cache) Handoff() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.yield()
}

func (c *Cache) yield() {
	c.mu.Unlock()
	c.mu.Lock()
}

// Value receiver: the callee locks a copy (go vet's copylocks reports that separately).
type Small struct{ mu *sync.Mutex }

func (s Small) Do(other *sync.Mutex) {
	s.mu.Lock()
	defer s.mu.Unlock()
	touch(other)
}

func touch(m *sync.Mutex) {
	m.Lock()
	m.Unlock()
}

// The callee moves its variable to another instance before locking (a walk up a tree).
type node struct {
	mu     sync.Mutex
	parent *node
	depth  int
}

func (n *node) Depth() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.walkUp()
}

func (c *node) walkUp() int {
	d := 0
	for c.parent != nil {
		c = c.parent
		c.mu.Lock()
		d++
		c.mu.Unlock()
	}
	return d
}

// The deferred literal takes the lock itself at exit; the lock of the function body is released
// explicitly right after the defer, so nothing is held when the literal runs (grpc's Server.Serve).
func (c *Cache) Serve(key string, work func()) {
	c.mu.Lock()
	c.data[key] = 1
	defer func() {
		c.mu.Lock()
		delete(c.data, key)
		c.mu.Unlock()
	}()
	c.mu.Unlock()
	work()
}

// A literal held by a variable and started as a goroutine waits for the lock instead.
func (c *Cache) Background() {
	c.mu.Lock()
	defer c.mu.Unlock()
	refresh := func() {
		c.mu.Lock()
		c.data["bg"]++
		c.mu.Unlock()
	}
	go refresh()
}

// The variable is given another literal, one that does not lock, before the call.
func (c *Cache) Replaced() {
	c.mu.Lock()
	defer c.mu.Unlock()
	bump := func() { c.set("n", 1) }
	bump = func() { c.data["n"]++ }
	bump()
}
