package locks

import "sync"

type cache struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[string]string
}

func (c *cache) set(k, v string) {
	c.mu.Lock()
	defer c.mu.Lock() // want `c\.mu is locked with Lock on line 12, but the deferred c\.mu\.Lock\(\), run as cache\.set returns, locks it a second time and deadlocks`
	c.data[k] = v
}

func (c *cache) get(k string) string {
	c.rw.RLock()
	defer c.rw.Unlock() // want `c\.rw is read-locked with RLock on line 18, but the deferred c\.rw\.Unlock\(\), run as cache\.get returns, releases a write lock that was never taken: "fatal error: sync: Unlock of unlocked RWMutex"`
	return c.data[k]
}

func (c *cache) put(k, v string) {
	c.rw.Lock()
	defer c.rw.RUnlock() // want `fatal error: sync: RUnlock of unlocked RWMutex.*defer c\.rw\.Unlock\(\) instead`
	c.data[k] = v
}

func (c *cache) size() int {
	c.rw.RLock()
	defer c.rw.RLock() // want `takes a second read lock, so neither read lock is ever released`
	return len(c.data)
}

var global sync.RWMutex

func readGlobal() {
	global.RLock()
	defer global.Unlock() // want `global is read-locked with RLock on line 38`
}

// An embedded mutex: the methods are promoted.
type counter struct {
	sync.Mutex
	n int
}

func (c *counter) inc() {
	c.Lock()
	defer c.Lock() // want `c is locked with Lock on line 49`
	c.n++
}

// A sync.Locker.
func withLocker(l sync.Locker, f func()) {
	l.Lock()
	defer l.Lock() // want `l is locked with Lock on line 56`
	f()
}

// The lock is taken in an enclosing block.
func (c *cache) nested(k string) {
	c.rw.RLock()
	if k != "" {
		defer c.rw.Unlock() // want `c\.rw is read-locked with RLock on line 63`
	}
	_ = c.data[k]
}

// Pointer to a mutex.
func viaPointer(mu *sync.RWMutex) {
	mu.Lock()
	defer mu.RUnlock() // want `mu is locked with Lock on line 72`
}

// In a function literal.
func (c *cache) inLiteral() func() {
	return func() {
		c.mu.Lock()
		defer c.mu.Lock() // want `c\.mu is locked with Lock on line 79, but the deferred c\.mu\.Lock\(\), run as the function literal on line 78 returns`
	}
}

// The embedded mutex named explicitly in the defer is the one RLock took through promotion.
type conf struct {
	sync.RWMutex
	m map[string]string
}

func (c *conf) get(k string) string {
	c.RLock()
	defer c.RWMutex.Unlock() // want `c is read-locked with RLock on line \d+, but the deferred c.RWMutex.Unlock\(\).*defer c.RUnlock\(\) instead`
	return c.m[k]
}

// A mutex picked from an array by index: the same index names the same mutex.
type shards struct {
	parts [8]sync.RWMutex
	data  [8]map[string]int
}

func (s *shards) get(i int, k string) int {
	s.parts[i].RLock()
	defer s.parts[i].Unlock() // want `s.parts\[i\] is read-locked with RLock on line \d+, but the deferred s.parts\[i\].Unlock\(\)`
	return s.data[i][k]
}

func (s *shards) first(k string) int {
	s.parts[0].RLock()
	defer s.parts[0].Unlock() // want `s.parts\[0\] is read-locked with RLock`
	return s.data[0][k]
}
