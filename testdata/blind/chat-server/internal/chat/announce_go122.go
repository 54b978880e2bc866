//go:build go1.22

package chat

import (
	"sync"
	"sync/atomic"
	"time"
)

// AnnounceAll sends a server notice to every room concurrently and returns
// the number of members reached. Built with per-iteration loop variables
// (go1.22), so the goroutines may capture r directly.
func (h *Hub) AnnounceAll(text string, d time.Duration) int {
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, r := range h.Rooms() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total.Add(int64(r.Announce(text, d)))
		}()
	}
	wg.Wait()
	return int(total.Load())
}
