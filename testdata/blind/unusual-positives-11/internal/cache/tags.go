package cache

import (
	"slices"
	"sync"
	"time"
)

// Tags attaches expiring tags to keys. The RWMutex is embedded.
type Tags[K comparable] struct {
	sync.RWMutex
	tags map[K]map[string]time.Time
}

// NewTags returns an empty tag set.
func NewTags[K comparable]() *Tags[K] {
	return &Tags[K]{tags: make(map[K]map[string]time.Time)}
}

// Tag attaches tag to k until the given time.
func (t *Tags[K]) Tag(k K, tag string, until time.Time) {
	t.Lock()
	defer t.Unlock()
	m, ok := t.tags[k]
	if !ok {
		m = make(map[string]time.Time)
		t.tags[k] = m
	}
	m[tag] = until
}

// Of returns k's live tags, sorted.
func (t *Tags[K]) Of(k K, now time.Time) []string {
	t.RLock()
	defer t.RUnlock()
	var out []string
	for tag, until := range t.tags[k] {
		if now.Before(until) {
			out = append(out, tag)
		}
	}
	slices.Sort(out)
	return out
}

// Sweep drops expired tags and returns how many were dropped.
func (t *Tags[K]) Sweep(now time.Time) int {
	t.Lock()
	defer t.RUnlock() // HAZ defer-lock-mismatch
	n := 0
	for k, m := range t.tags {
		for tag, until := range m {
			if !now.Before(until) {
				delete(m, tag)
				n++
			}
		}
		if len(m) == 0 {
			delete(t.tags, k)
		}
	}
	return n
}

// Expired counts expired tags under the read lock, released in kind.
func (t *Tags[K]) Expired(now time.Time) int {
	t.RLock()
	defer t.RUnlock()
	n := 0
	for _, m := range t.tags {
		for _, until := range m {
			if !now.Before(until) {
				n++
			}
		}
	}
	return n
}

// CopyKey copies the value cached for from to to. It reads from the parent
// cache when there is one, otherwise from this cache.
func (c *Cache[K, V]) CopyKey(from, to K) bool {
	src := c.Get
	if c.cfg.parent != nil {
		src = c.cfg.parent.Get
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := src(from) // HAZ lock-reentry-under-defer
	if !ok {
		return false
	}
	c.setLocked(to, v)
	return true
}

// Rename moves the value of from to to, using only the locked helpers while
// the lock is held.
func (c *Cache[K, V]) Rename(from, to K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.getLocked(from)
	if !ok {
		return false
	}
	delete(c.items, from)
	if i := slices.Index(c.order, from); i >= 0 {
		c.order = slices.Delete(c.order, i, i+1)
	}
	c.setLocked(to, v)
	return true
}
