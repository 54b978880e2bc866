//go:build go1.21

// This file is kept buildable for the go1.21 agents that still embed the
// wheel; it is compiled with go1.21 language semantics.

package wheel

import "sync"

// FireAll fires ids concurrently and waits for the callbacks to return. It
// reports how many callbacks were started.
func (w *Wheel) FireAll(ids []string) int {
	var wg sync.WaitGroup
	started := 0
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.fire(id) // HAZ loop-var-capture
		}()
		started++
	}
	wg.Wait()
	return started
}

// FireEach is FireAll for callers that already hold a copy of each id.
func (w *Wheel) FireEach(ids []string) int {
	var wg sync.WaitGroup
	started := 0
	for _, id := range ids {
		id := id
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.fire(id)
		}()
		started++
	}
	wg.Wait()
	return started
}

// FireBatch passes each id as an argument to the goroutine.
func (w *Wheel) FireBatch(ids []string) {
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(n int, id string) {
			defer wg.Done()
			if n < len(ids) {
				w.fire(id)
			}
		}(i, id)
		if i%64 == 63 {
			wg.Wait()
		}
	}
	wg.Wait()
}
