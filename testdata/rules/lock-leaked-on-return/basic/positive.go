// Locks that stay held on some path to a return: each lock line is a finding.
package fixture

import (
	"errors"
	"sync"
)

type Cache struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items map[string]int
}

var errMissing = errors.New("missing")

// An early error return skips the unlock.
func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock() // want `^c\.mu\.Lock\(\) on line 19 is not released on the path to the return on line 22: Cache\.Get returns with c\.mu still held`
	v, ok := c.items[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

// The read lock is released only on the found path.
func (c *Cache) Has(k string) bool {
	c.rw.RLock() // want `^c\.rw\.RLock\(\) on line 30 is not released on the path to the return on line 33`
	_, ok := c.items[k]
	if ok {
		return true
	}
	c.rw.RUnlock()
	return false
}

var global sync.Mutex
var counter int

// Falling off the end of the function with the lock held.
func bump(n int) {
	global.Lock() // want `^global\.Lock\(\) on line 44 is not released on the path to the end of bump`
	if n > 0 {
		counter += n
		global.Unlock()
	}
}

// A break out of the loop skips the unlock at the end of the iteration.
func drain(mu *sync.Mutex, work []int) int {
	total := 0
	for _, w := range work {
		mu.Lock() // want `^mu\.Lock\(\) on line 55 is not released on the path to the return on line 62`
		if w < 0 {
			break
		}
		total += w
		mu.Unlock()
	}
	return total
}

// A switch case returns without unlocking.
func (c *Cache) Kind(k string) string {
	c.mu.Lock() // want `Cache\.Kind returns with c\.mu still held`
	switch c.items[k] {
	case 0:
		return "zero"
	case 1:
		c.mu.Unlock()
		return "one"
	}
	c.mu.Unlock()
	return "many"
}

// An unlock inside a closure that is called in place does not help the other path.
func (c *Cache) Set(k string, v int) error {
	c.mu.Lock() // want `^c\.mu\.Lock\(\) on line 81 is not released on the path to the return on line 83`
	if v < 0 {
		return errors.New("negative")
	}
	c.items[k] = v
	c.mu.Unlock()
	return nil
}

// A lock through a promoted method of an embedded mutex.
type Registry struct {
	sync.Mutex
	names []string
}

func (r *Registry) Add(n string) error {
	r.Lock() // want `^r\.Lock\(\) on line 97 is not released on the path to the return on line 99`
	if n == "" {
		return errors.New("empty name")
	}
	r.names = append(r.names, n)
	r.Unlock()
	return nil
}

// A function literal has its own returns.
func handlerFactory(mu *sync.Mutex, m map[string]int) func(string) int {
	return func(k string) int {
		mu.Lock() // want `^mu\.Lock\(\) on line 109 is not released on the path to the return on line 111: the function literal on line 108 returns`
		if v, ok := m[k]; ok {
			return v
		}
		mu.Unlock()
		return -1
	}
}

// Unlocked only in one branch of a type switch.
func (c *Cache) Store(x any) {
	c.mu.Lock() // want `^c\.mu\.Lock\(\) on line 120 is not released on the path to the end of Cache\.Store`
	switch v := x.(type) {
	case int:
		c.items["int"] = v
		c.mu.Unlock()
	case string:
		c.items[v] = 0
	}
}

// A panic with the lock held: a recover further up (net/http's, a worker pool's) leaves the
// mutex locked.
func mustGet(mu *sync.Mutex, m map[string]int, k string) int {
	mu.Lock() // want `^mu\.Lock\(\) on line 133 is not released before the panic on line 136: if anything recovers it`
	v, ok := m[k]
	if !ok {
		panic("missing " + k)
	}
	mu.Unlock()
	return v
}

// A deferred unlock added below an early return: the return before it leaves the mutex held.
// No fix is offered (a second deferred unlock would unlock twice): the message says to move it.
func (c *Cache) GetLate(k string) (int, error) {
	c.mu.Lock() // want `^c\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+: .*move the defer c\.mu\.Unlock\(\) on line \d+ up to right after the lock`
	if c.items == nil {
		return 0, errMissing
	}
	defer c.mu.Unlock()
	return c.items[k], nil
}

// The deferred unlock only on one branch: the other falls off the end with the lock held.
func (c *Cache) PutSome(k string, v int, keep bool) {
	c.mu.Lock() // want `is not released on the path to the end of Cache\.PutSome`
	if keep {
		defer c.mu.Unlock()
		c.items[k] = v
		return
	}
	delete(c.items, k)
}

// A mutex whose type is the generic type's own parameter, constrained by sync.Locker.
type Box[M sync.Locker] struct {
	mu M
	n  int
}

func (b *Box[M]) Incr(limit int) bool {
	b.mu.Lock() // want `b.mu.Lock\(\) on line \d+ is not released on the path to the return on line \d+: Box.Incr returns with b.mu still held`
	if b.n >= limit {
		return false
	}
	b.n++
	b.mu.Unlock()
	return true
}

// A continue with the lock held: the loop comes back to the same mutex's Lock and deadlocks.
func (c *Cache) DropEmpty(keys []string) {
	for _, k := range keys {
		c.mu.Lock() // want `c.mu.Lock\(\) on line \d+ is not released before the continue on line \d+ goes back to it: the next iteration's c.mu.Lock\(\) blocks`
		if _, ok := c.items[k]; !ok {
			continue
		}
		delete(c.items, k)
		c.mu.Unlock()
	}
}

type part struct {
	mu sync.Mutex
	n  int
}

// The mutex belongs to the range variable: another one each iteration, so the skipped unlock
// leaks this part's lock (reported as held at the end of the function), not a self-deadlock.
func resetParts(parts []*part, skip func(*part) bool) {
	for _, p := range parts {
		p.mu.Lock() // want `p.mu.Lock\(\) on line \d+ is not released on the path to the end of resetParts`
		if skip(p) {
			continue
		}
		p.n = 0
		p.mu.Unlock()
	}
}

// The deferred unlock is a literal below an early return: the return still leaks the lock.
func (c *Cache) GetLateLit(k string) (int, error) {
	c.mu.Lock() // want `c.mu.Lock\(\) on line \d+ is not released on the path to the return on line \d+: .*move the defer func\(\) \{\.\.\.\}\(\) on line \d+ up`
	if c.items == nil {
		return 0, errMissing
	}
	defer func() { c.mu.Unlock() }()
	return c.items[k], nil
}
