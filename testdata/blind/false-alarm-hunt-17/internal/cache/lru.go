package cache

import (
	"container/list"
	"sync"
)

// LRU is a fixed-capacity least-recently-used cache.
type LRU[K comparable, V any] struct {
	mu       sync.Mutex
	capacity int
	ll       *list.List
	idx      map[K]*list.Element
	hits     int64
	misses   int64
}

type lruItem[K comparable, V any] struct {
	key K
	val V
}

// Stats describes an LRU at one point in time.
type Stats struct {
	Len      int
	Capacity int
	Hits     int64
	Misses   int64
}

// NewLRU returns an LRU holding at most capacity entries (at least one).
func NewLRU[K comparable, V any](capacity int) *LRU[K, V] {
	return &LRU[K, V]{
		capacity: max(capacity, 1),
		ll:       list.New(),
		idx:      make(map[K]*list.Element),
	}
}

// Get returns the value for k and marks it recently used.
func (l *LRU[K, V]) Get(k K) (V, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.idx[k]
	if !ok {
		l.misses++
		var zero V
		return zero, false
	}
	l.hits++
	l.ll.MoveToFront(el)
	return el.Value.(*lruItem[K, V]).val, true
}

// Add stores v under k and reports whether an older entry was evicted.
func (l *LRU[K, V]) Add(k K, v V) (evicted bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.idx[k]; ok {
		el.Value.(*lruItem[K, V]).val = v
		l.ll.MoveToFront(el)
		return false
	}
	l.idx[k] = l.ll.PushFront(&lruItem[K, V]{key: k, val: v})
	if l.ll.Len() > l.capacity {
		l.removeOldest()
		return true
	}
	return false
}

// removeOldest drops the least recently used entry. The caller holds l.mu.
func (l *LRU[K, V]) removeOldest() {
	back := l.ll.Back()
	if back == nil {
		return
	}
	l.ll.Remove(back)
	delete(l.idx, back.Value.(*lruItem[K, V]).key)
}

// Resize changes the capacity, evicting as needed, and returns the number of
// evicted entries.
func (l *LRU[K, V]) Resize(n int) (evicted int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.capacity = max(n, 1)
	for l.ll.Len() > l.capacity {
		l.removeOldest()
		evicted++
	}
	return evicted
}

// HitRatio returns hits/(hits+misses), or 0 before the first lookup.
func (l *LRU[K, V]) HitRatio() float64 {
	l.mu.Lock()
	total := l.hits + l.misses
	if total == 0 {
		l.mu.Unlock()
		return 0
	}
	r := float64(l.hits) / float64(total)
	l.mu.Unlock()
	return r
}

// Len returns the number of entries.
func (l *LRU[K, V]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ll.Len()
}

// Stats returns the current size and hit counters.
func (l *LRU[K, V]) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Stats{Len: l.ll.Len(), Capacity: l.capacity, Hits: l.hits, Misses: l.misses}
}

// Oldest returns the least recently used entry without changing its position.
func (l *LRU[K, V]) Oldest() (k K, v V, ok bool) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	back := l.ll.Back()
	if back == nil {
		return k, v, false
	}
	it := back.Value.(*lruItem[K, V])
	k, v = it.key, it.val
	l.mu.Unlock()
	return k, v, true
}
