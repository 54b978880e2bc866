//go:build go1.21

// This file predates the module's move to Go 1.22; the build constraint
// was added when it started using the slices package.

package watch

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// matching returns the watchers of prefix-matching key, ordered by id. The
// caller holds h.mu (read or write).
func (h *Hub) matching(key string) []*Watcher {
	out := make([]*Watcher, 0, len(h.watchers))
	for _, w := range h.watchers {
		if strings.HasPrefix(key, w.prefix) {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b *Watcher) int { return cmp.Compare(a.id, b.id) })
	return out
}

// BroadcastReliable delivers ev to every matching watcher, waiting up to
// timeout for slow ones instead of dropping. Expiry events go through here
// because a lock holder that misses its own expiry keeps acting as owner.
func (h *Hub) BroadcastReliable(ev Event, timeout time.Duration) int {
	ev.Rev = h.rev.Add(1)
	h.mu.RLock()
	defer h.mu.RUnlock()
	var wg sync.WaitGroup
	var delivered atomic.Int64
	for _, w := range h.matching(ev.Key) {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if w.deliverWait(ev, timeout) {
				delivered.Add(1)
			}
		}()
		h.reliableSent.Add(1)
	}
	wg.Wait()
	return int(delivered.Load())
}

// NotifyExpired sends an Expire event for each key to its watchers,
// waiting up to timeout per watcher.
func (h *Hub) NotifyExpired(lease int64, keys []string, timeout time.Duration) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var wg sync.WaitGroup
	for _, key := range keys {
		ev := Event{Type: Expire, Key: key, Lease: lease, Rev: h.rev.Add(1)}
		for _, w := range h.matching(key) {
			w := w
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.deliverWait(ev, timeout)
			}()
		}
	}
	wg.Wait()
}

// CancelPrefix cancels every watcher whose prefix starts with prefix.
// Cancel can wait behind a slow BroadcastReliable, so the cancellations
// run concurrently, at most 32 at a time.
func (h *Hub) CancelPrefix(prefix string) int {
	h.mu.RLock()
	var victims []*Watcher
	for _, w := range h.watchers {
		if strings.HasPrefix(w.prefix, prefix) {
			victims = append(victims, w)
		}
	}
	h.mu.RUnlock()
	var wg sync.WaitGroup
	for i, w := range victims {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			h.Cancel(w)
		}()
		if i%32 == 31 {
			wg.Wait()
		}
	}
	wg.Wait()
	return len(victims)
}
