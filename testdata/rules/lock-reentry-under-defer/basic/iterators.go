//go:build go1.23

package fixture

import (
	"iter"
	"sync"
)

type orderedMap struct {
	mu   sync.RWMutex
	keys []string
	vals map[string]int
}

// all yields the entries under the read lock, for as long as the loop runs.
func (m *orderedMap) all() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		m.mu.RLock()
		defer m.mu.RUnlock()
		for _, k := range m.keys {
			if !yield(k, m.vals[k]) {
				return
			}
		}
	}
}

// Ranging over the iterator runs its literal, which read-locks the mutex held here.
func (m *orderedMap) compact(drop func(string, int) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var doomed []string
	for k, v := range m.all() { // want `m\.mu is locked on line \d+ and held until orderedMap\.compact returns \(deferred unlock on line \d+\), but m\.all\(\) on line \d+ locks it again \(orderedMap\.compact → orderedMap\.all → the function literal on line \d+ → m\.mu\.RLock\(\) on line \d+\)`
		if drop(k, v) {
			doomed = append(doomed, k)
		}
	}
	for _, k := range doomed {
		delete(m.vals, k)
	}
	return len(doomed)
}

// Taking the iterator without ranging over it runs nothing.
func (m *orderedMap) iterator() iter.Seq2[string, int] {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.all()
	return it
}

// Ranging after the unlock is fine.
func (m *orderedMap) sum() int {
	m.mu.Lock()
	n := len(m.keys)
	m.mu.Unlock()
	total := 0
	for _, v := range m.all() {
		total += v
	}
	return total + n
}
