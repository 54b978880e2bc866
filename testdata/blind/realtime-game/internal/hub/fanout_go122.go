//go:build go1.22

package hub

import (
	"sync"
	"sync/atomic"

	"example.com/realtimegame/internal/protocol"
)

// SendEach delivers a personalised frame to each subscriber concurrently.
// This file is compiled with Go 1.22 semantics (see the build constraint), so
// every iteration has its own id and f.
func (h *Hub) SendEach(frames map[string]protocol.Frame) int {
	var wg sync.WaitGroup
	var ok atomic.Int64
	for id, f := range frames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h.SendTo(id, f) {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(ok.Load())
}
