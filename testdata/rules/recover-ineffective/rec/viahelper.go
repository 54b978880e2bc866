package rec

import "sync"

type tracker struct {
	mu   sync.Mutex
	last any
}

// locked runs fn with the tracker's lock held.
func (t *tracker) locked(fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fn()
}

// The literal runs called by locked, inside the deferred closure: its recover returns nil.
func (t *tracker) track(fn func()) {
	defer func() {
		t.locked(func() {
			if r := recover(); r != nil { // want `recover\(\) in the function literal on line \d+ returns nil`
				t.last = r
			}
		})
	}()
	fn()
}

// Recovered first, then stored under the lock: fine.
func (t *tracker) trackFixed(fn func()) {
	defer func() {
		r := recover()
		t.locked(func() { t.last = r })
	}()
	fn()
}
