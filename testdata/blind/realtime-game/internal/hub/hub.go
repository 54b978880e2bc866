// Package hub fans frames out to subscribed clients (players, spectators and
// the replay recorder) without letting a slow subscriber stall the tick loop.
package hub

import (
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/realtimegame/internal/protocol"
	"example.com/realtimegame/internal/telemetry"
)

// Subscription is what a subscriber reads from.
type Subscription struct {
	C    <-chan protocol.Frame
	Done <-chan struct{}
}

type client struct {
	id      string
	send    chan protocol.Frame
	gone    chan struct{}
	dropped atomic.Int64
}

// offer delivers f without blocking; it never sends on a closed channel
// because send is never closed (gone is).
func (c *client) offer(f protocol.Frame) bool {
	select {
	case <-c.gone:
		return false
	case c.send <- f:
		return true
	default:
		c.dropped.Add(1)
		return false
	}
}

// Hub is a broadcast hub.
type Hub struct {
	mu        sync.RWMutex
	clients   map[string]*client
	feed      chan protocol.Frame
	stats     *telemetry.Counter
	slowAfter time.Duration
	logf      func(format string, args ...any)
}

// New creates a hub and starts relaying its feed.
func New(stats *telemetry.Counter) *Hub {
	h := &Hub{
		clients:   make(map[string]*client),
		feed:      make(chan protocol.Frame, 256),
		stats:     stats,
		slowAfter: 50 * time.Millisecond,
		logf:      log.Printf,
	}
	go h.relayLoop(h.feed)
	return h
}

// Feed is where room tick loops publish frames. It is never closed: the hub
// lives as long as the process.
func (h *Hub) Feed() chan<- protocol.Frame { return h.feed }

// Subscribe registers a subscriber with a buffer of buf frames.
func (h *Hub) Subscribe(id string, buf int) (Subscription, error) {
	if buf <= 0 {
		buf = 32
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, exists := h.clients[id]; exists {
		return Subscription{}, fmt.Errorf("hub: %q already subscribed", id)
	}
	c := &client{id: id, send: make(chan protocol.Frame, buf), gone: make(chan struct{})}
	h.clients[id] = c
	return Subscription{C: c.send, Done: c.gone}, nil
}

// Unsubscribe removes a subscriber and signals it through Done.
func (h *Hub) Unsubscribe(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[id]
	if !ok {
		return false
	}
	delete(h.clients, id)
	close(c.gone)
	return true
}

func (h *Hub) drop(id, reason string) {
	if h.Unsubscribe(id) {
		h.logf("hub: dropped %s: %s", id, reason)
		h.stats.Add("hub.evicted", 1)
	}
}

// Broadcast offers f to every subscriber and returns how many took it.
func (h *Hub) Broadcast(f protocol.Frame) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, c := range h.clients {
		if c.offer(f) {
			n++
		}
	}
	h.stats.Add("hub.frames_out", int64(n))
	return n
}

// BroadcastState fans a state frame out and records how long it took.
func (h *Hub) BroadcastState(f protocol.Frame) int {
	defer telemetry.Measure(h.stats, "hub.broadcast_state") // HAZ defer-func-result-not-called
	if f.Kind != protocol.KindState {
		h.logf("hub: BroadcastState called with %s frame", f.Kind)
		return 0
	}
	return h.Broadcast(f)
}

// SendTo offers f to one subscriber.
func (h *Hub) SendTo(id string, f protocol.Frame) bool {
	h.mu.RLock()
	c, ok := h.clients[id]
	if !ok {
		h.mu.RUnlock()
		return false
	}
	delivered := c.offer(f)
	h.mu.RUnlock()
	if !delivered {
		h.stats.Add("hub.dropped_frames", 1)
	}
	return delivered
}

// Count returns the number of subscribers.
func (h *Hub) Count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients)
}

func (h *Hub) snapshot() []*client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*client, 0, len(h.clients))
	for _, c := range h.clients {
		out = append(out, c)
	}
	return out
}

// Slowest returns the ids of the n subscribers that dropped the most frames.
func (h *Hub) Slowest(n int) []string {
	cs := h.snapshot()
	sort.Slice(cs, func(i, j int) bool { return cs[i].dropped.Load() > cs[j].dropped.Load() })
	if n > len(cs) {
		n = len(cs)
	}
	ids := make([]string, 0, n)
	for _, c := range cs[:n] {
		ids = append(ids, c.id)
	}
	return ids
}

// EvictSlow unsubscribes every client that dropped more than maxDropped frames.
func (h *Hub) EvictSlow(maxDropped int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for id, c := range h.clients {
		if c.dropped.Load() > maxDropped {
			h.drop(id, "too slow") // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Rename moves a subscription to a new id, e.g. after a guest logs in.
func (h *Hub) Rename(oldID, newID string) error {
	h.mu.Lock() // HAZ lock-leaked-on-return
	c, ok := h.clients[oldID]
	if !ok {
		h.mu.Unlock()
		return fmt.Errorf("hub: no subscriber %q", oldID)
	}
	if _, taken := h.clients[newID]; taken {
		return fmt.Errorf("hub: subscriber id %q already in use", newID)
	}
	delete(h.clients, oldID)
	c.id = newID
	h.clients[newID] = c
	h.mu.Unlock()
	return nil
}

// DeliverAll pushes an important frame (match end, server restart) to every
// subscriber, waiting up to timeout per subscriber instead of dropping it.
func (h *Hub) DeliverAll(f protocol.Frame, timeout time.Duration) int {
	targets := h.snapshot()
	var wg sync.WaitGroup
	var delivered atomic.Int64
	for _, c := range targets {
		wg.Add(1)
		go func(c *client) {
			t := time.NewTimer(timeout)
			defer t.Stop()
			select {
			case c.send <- f:
				delivered.Add(1)
			case <-t.C:
				h.logf("hub: %s did not accept frame within %s", c.id, timeout)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(c)
	}
	wg.Wait()
	return int(delivered.Load())
}
