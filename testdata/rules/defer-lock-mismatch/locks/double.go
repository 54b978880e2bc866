package locks

import (
	"errors"
	"sync"
)

type tally struct {
	mu sync.Mutex
	rw sync.RWMutex
	n  int
}

// The early path unlocks and returns; the deferred Unlock then unlocks an unlocked mutex.
func (c *tally) add(x int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if x < 0 {
		c.mu.Unlock() // want `c\.mu\.Unlock\(\) unlocks c\.mu here, and the deferred c\.mu\.Unlock\(\) \(line \d+\) unlocks it again as tally\.add returns: "fatal error: sync: unlock of unlocked mutex"`
		return errors.New("negative")
	}
	c.n += x
	return nil
}

// The same with a read lock.
func (c *tally) peek(strict bool) (int, error) {
	c.rw.RLock()
	defer c.rw.RUnlock()
	if strict && c.n == 0 {
		c.rw.RUnlock() // want `"fatal error: sync: RUnlock of unlocked RWMutex"`
		return 0, errors.New("empty")
	}
	return c.n, nil
}

// Unlocked around a slow call and locked again before returning: balanced.
func (c *tally) refresh(load func() int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == 0 {
		c.mu.Unlock()
		v := load()
		c.mu.Lock()
		c.n = v
	}
	return c.n
}

// The explicit unlock comes before the deferred one is registered: the defer releases a later lock.
func (c *tally) twoPhases(x int) int {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += x
	return c.n
}

// The deferred literal unlocks only while the flag says the lock is held.
func (c *tally) guarded(x int) int {
	c.mu.Lock()
	locked := true
	defer func() {
		if locked {
			c.mu.Unlock()
		}
	}()
	if x < 0 {
		c.mu.Unlock()
		locked = false
		return 0
	}
	c.n += x
	return c.n
}

// Released for a while with a deferred relock: at exit the relock runs first, then the unlock.
func (c *tally) inspect(check func() error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.mu.Unlock()
	defer c.mu.Lock()
	return check()
}

// Locked only when asked to, unlocked always.
func (c *tally) maybeLocked(lock bool) int {
	if lock {
		c.mu.Lock()
	}
	defer c.mu.Unlock() // want `c\.mu\.Lock\(\) on line \d+ runs only on some paths to the deferred c\.mu\.Unlock\(\), and on the others c\.mu is not locked when tally\.maybeLocked returns`
	return c.n
}

// Locked on both branches.
func (c *tally) eitherWay(write bool) int {
	if write {
		c.mu.Lock()
		c.n++
	} else {
		c.mu.Lock()
	}
	defer c.mu.Unlock()
	return c.n
}

// TryLock: the path without the lock returns before the defer.
func (c *tally) tryAdd() bool {
	if !c.mu.TryLock() {
		return false
	}
	defer c.mu.Unlock()
	c.n++
	return true
}

// The caller holds the lock: this function releases it, and locks nothing itself before.
func (c *tally) finishLocked() int {
	defer c.mu.Unlock()
	return c.n
}
