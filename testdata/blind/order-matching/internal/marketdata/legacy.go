//go:build go1.21

// The conflation code is shared with the legacy feed handler, which still
// builds at go1.21 semantics.

package marketdata

import "sync"

// conflate keeps only the newest update per symbol.
func conflate(us []Update) []Update {
	idx := make(map[string]int, len(us))
	var out []Update
	for _, u := range us {
		if i, ok := idx[u.Symbol]; ok {
			out[i] = u
			continue
		}
		idx[u.Symbol] = len(out)
		out = append(out, u)
	}
	return out
}

// PublishConflated publishes the newest update of each symbol, one symbol
// per goroutine, and waits for all of them.
func (h *Hub) PublishConflated(us []Update) int {
	var wg sync.WaitGroup
	n := 0
	for _, u := range conflate(us) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Publish(u) // HAZ loop-var-capture
		}()
		n++
	}
	wg.Wait()
	return n
}

// PublishConflatedCopy passes each update to its goroutine as an argument,
// which is correct at any language version.
func (h *Hub) PublishConflatedCopy(us []Update) int {
	var wg sync.WaitGroup
	n := 0
	for _, u := range conflate(us) {
		wg.Add(1)
		go func(u Update) {
			defer wg.Done()
			h.Publish(u)
		}(u)
		n++
	}
	wg.Wait()
	return n
}
