package fixture

import "sync"

type sizeIndex struct {
	mu    sync.Mutex
	sizes map[string]int
	total int
}

type added struct {
	key  string
	size int
}

type removed struct{ key string }

// The deferred unlock in the loop keeps the lock into later iterations, where the other case
// locks it again: the deadlock of a defer in a loop, which defer-in-loop reports on the defer.
func (ix *sizeIndex) replay(evs []any) {
	for _, ev := range evs {
		switch e := ev.(type) {
		case added:
			ix.mu.Lock()
			defer ix.mu.Unlock()
			ix.sizes[e.key] = e.size
		case removed:
			ix.mu.Lock()
			delete(ix.sizes, e.key)
			ix.mu.Unlock()
		}
	}
}

// In the same iteration, after the deferred unlock: locked again while held.
func (ix *sizeIndex) replayTotal(evs []added) {
	for _, e := range evs {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		ix.sizes[e.key] = e.size
		ix.mu.Lock() // want `ix\.mu is locked on line \d+ and held until sizeIndex\.replayTotal returns .* locks ix\.mu again`
		ix.total += e.size
		ix.mu.Unlock()
	}
}
