// Package keyframe throttles keyframe (PLI/FIR) requests. Every new
// subscriber and every lost packet burst asks the publisher for a keyframe;
// without throttling a busy room asks dozens of times a second, and the
// publisher's bitrate collapses under the flood of intra frames.
package keyframe

import (
	"context"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Throttler forwards at most one keyframe request per SSRC per minGap.
// Requests arriving inside the gap are remembered and forwarded once the
// gap has passed.
type Throttler struct {
	// OnFlush, if set, is called after FlushNow with the number of
	// requests it forwarded (for metrics).
	OnFlush func(n int)

	minGap time.Duration
	reqs   chan uint32
	log    *log.Logger

	requested atomic.Int64
	dropped   atomic.Int64

	mu      sync.Mutex
	last    map[uint32]time.Time
	pending map[uint32]int
}

// Stats are the throttler's counters.
type Stats struct {
	Tracked   int   `json:"tracked"`
	Pending   int   `json:"pending"`
	Requested int64 `json:"requested"`
	Dropped   int64 `json:"dropped"`
}

// New creates a throttler.
func New(minGap time.Duration, lg *log.Logger) *Throttler {
	return &Throttler{
		minGap:  minGap,
		reqs:    make(chan uint32, 1024),
		log:     lg,
		last:    make(map[uint32]time.Time),
		pending: make(map[uint32]int),
	}
}

// Request records a subscriber's keyframe request; it never blocks the
// caller (the media path), dropping the request if the queue is full.
func (t *Throttler) Request(ssrc uint32) bool {
	select {
	case t.reqs <- ssrc:
		return true
	default:
		t.dropped.Add(1)
		return false
	}
}

// Allow reports whether a request for ssrc may be forwarded at now.
func (t *Throttler) Allow(ssrc uint32, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if last, ok := t.last[ssrc]; ok && now.Sub(last) < t.minGap {
		t.pending[ssrc]++
		return false
	}
	t.last[ssrc] = now
	return true
}

// Run forwards requests through send until ctx is done.
func (t *Throttler) Run(ctx context.Context, send func(uint32) error) {
	tick := time.NewTicker(t.minGap / 2)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ssrc := <-t.reqs:
			if t.Allow(ssrc, time.Now()) {
				t.safeSend(send, ssrc)
			}
		case now := <-tick.C:
			t.flushPending(now, send)
		}
	}
}

// flushPending forwards deferred requests whose gap has elapsed. The lock is
// released before calling out to send.
func (t *Throttler) flushPending(now time.Time, send func(uint32) error) {
	t.mu.Lock()
	due := make([]uint32, 0, len(t.pending))
	for ssrc := range t.pending {
		if now.Sub(t.last[ssrc]) >= t.minGap {
			due = append(due, ssrc)
			delete(t.pending, ssrc)
			t.last[ssrc] = now
		}
	}
	t.mu.Unlock()
	for _, ssrc := range due {
		t.safeSend(send, ssrc)
	}
}

// FlushNow forwards every pending request immediately, ignoring the gap;
// used when a publisher reconnects and needs a keyframe anyway.
func (t *Throttler) FlushNow(send func(uint32) error) int {
	t.mu.Lock()
	due := make([]uint32, 0, len(t.pending))
	for ssrc := range t.pending {
		due = append(due, ssrc)
	}
	clear(t.pending)
	t.mu.Unlock()
	defer t.OnFlush(len(due)) // HAZ defer-nil-func
	for _, ssrc := range due {
		t.safeSend(send, ssrc)
	}
	return len(due)
}

// SetGap changes the minimum gap between two requests for one SSRC.
func (t *Throttler) SetGap(d time.Duration) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if d <= 0 {
		panic(fmt.Sprintf("keyframe: non-positive gap %v", d))
	}
	t.minGap = d
	t.mu.Unlock()
}

// Reset forgets all per-SSRC state, e.g. after a publisher migrated.
func (t *Throttler) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.last)
	clear(t.pending)
}

// safeSend calls send, shielding the throttler loop from a misbehaving
// transport callback.
func (t *Throttler) safeSend(send func(uint32) error, ssrc uint32) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	if err := send(ssrc); err != nil {
		t.log.Printf("keyframe: request for ssrc %d failed: %v", ssrc, err)
		return
	}
	t.requested.Add(1)
}

// Coalesce batches bursts: after the first request it waits one window for
// duplicates, then emits the distinct SSRCs of the burst as one batch.
func (t *Throttler) Coalesce(window time.Duration, out chan<- []uint32) {
	for first := range t.reqs {
		timer := time.NewTimer(window)
		defer timer.Stop() // HAZ defer-in-infinite-loop
		batch := map[uint32]struct{}{first: {}}
	collect:
		for {
			select {
			case ssrc, ok := <-t.reqs:
				if !ok {
					break collect
				}
				batch[ssrc] = struct{}{}
			case <-timer.C:
				break collect
			}
		}
		ids := make([]uint32, 0, len(batch))
		for id := range batch {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		out <- ids
	}
}

// Forget drops all state for ssrc (the track was unpublished).
func (t *Throttler) Forget(ssrc uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.last, ssrc)
	delete(t.pending, ssrc)
}

// Prune drops state for SSRCs not requested within maxAge.
func (t *Throttler) Prune(maxAge time.Duration, now time.Time) int {
	n := 0
	t.mu.Lock()
	for ssrc, last := range t.last {
		if now.Sub(last) > maxAge {
			delete(t.last, ssrc)
			delete(t.pending, ssrc)
			n++
		}
	}
	t.mu.Unlock()
	return n
}

// Stats returns the throttler's counters.
func (t *Throttler) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Stats{
		Tracked:   len(t.last),
		Pending:   len(t.pending),
		Requested: t.requested.Load(),
		Dropped:   t.dropped.Load(),
	}
}

// PruneEvery prunes stale state on a ticker until ctx is done.
func (t *Throttler) PruneEvery(ctx context.Context, every, maxAge time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if n := t.Prune(maxAge, now); n > 0 {
				t.log.Printf("keyframe: pruned %d idle SSRCs", n)
			}
		}
	}
}
