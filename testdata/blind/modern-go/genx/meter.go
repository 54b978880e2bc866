package genx

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Meter counts named events.
type Meter struct {
	sync.RWMutex
	counts map[string]int
}

// NewMeter returns an empty meter.
func NewMeter() *Meter {
	return &Meter{counts: make(map[string]int)}
}

// Inc adds one to name.
func (m *Meter) Inc(name string) {
	m.Lock()
	defer m.Unlock()
	m.incLocked(name, 1)
}

func (m *Meter) incLocked(name string, n int) {
	m.counts[name] += n
}

// Merge adds every count in other.
func (m *Meter) Merge(other map[string]int) {
	m.Lock()
	defer m.Unlock()
	for k, v := range other {
		m.incLocked(k, v) // ok: helper does not lock
	}
}

// Add adds n to name.
func (m *Meter) Add(name string, n int) {
	m.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic("genx: negative increment for " + name)
	}
	m.counts[name] += n
	m.Unlock()
}

// Snapshot copies the counts.
func (m *Meter) Snapshot() map[string]int {
	m.RLock()
	defer m.RUnlock()
	return maps.Clone(m.counts)
}

// Swap replaces the counts with an empty map and returns the old ones.
func (m *Meter) Swap() map[string]int {
	m.Lock()
	defer m.RUnlock() // HAZ defer-lock-mismatch
	old := m.counts
	m.counts = make(map[string]int)
	return old
}

// Top returns the count of the busiest name.
func (m *Meter) Top() (string, int) {
	m.RLock()
	defer m.RUnlock()
	best, n := "", 0
	for k, v := range m.counts {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best, n
}

// Value holds a value that is swapped atomically.
type Value[T any] struct {
	p atomic.Pointer[T]
}

// Load returns the current value or nil.
func (v *Value[T]) Load() *T { return v.p.Load() }

// Store replaces the value.
func (v *Value[T]) Store(x *T) { v.p.Store(x) }

// Update applies fn until the swap succeeds.
func (v *Value[T]) Update(fn func(*T) *T) *T {
	for {
		old := v.p.Load()
		next := fn(old)
		if v.p.CompareAndSwap(old, next) {
			return next
		}
	}
}
