// Package marketdata fans book updates and trades out to subscribers.
// Subscribers that cannot keep up are disconnected rather than allowed to
// slow the matching engine down.
package marketdata

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matching/internal/book"
	"example.com/matching/internal/obs"
)

// Update is one market-data message.
type Update struct {
	Symbol string
	Seq    uint64
	Bids   []book.DepthLevel
	Asks   []book.DepthLevel
	Trade  *book.Trade
}

// Subscriber receives updates for a set of symbols.
type Subscriber struct {
	id      int
	symbols map[string]bool // nil means every symbol
	ch      chan Update
	dropped atomic.Int64
}

// C is the subscriber's update stream; it is closed when the hub drops it.
func (s *Subscriber) C() <-chan Update { return s.ch }

// ID identifies the subscriber in the hub.
func (s *Subscriber) ID() int { return s.id }

// Dropped counts updates that did not fit the subscriber's buffer.
func (s *Subscriber) Dropped() int64 { return s.dropped.Load() }

func (s *Subscriber) wants(sym string) bool {
	return s.symbols == nil || s.symbols[sym]
}

// offer delivers u without blocking and reports whether it fitted.
func (s *Subscriber) offer(u Update) bool {
	select {
	case s.ch <- u:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

// Hub is the fan-out point.
type Hub struct {
	mu       sync.RWMutex
	subs     map[int]*Subscriber
	nextID   int
	maxDrops int64
	hooks    []func(Update)
	onDrop   func(id int, reason string)
	tracer   *obs.Tracer
	logger   *log.Logger

	published atomic.Int64
	evicted   atomic.Int64
}

// NewHub returns a hub that disconnects a subscriber after maxDrops updates
// have been dropped for it.
func NewHub(maxDrops int64, logger *log.Logger, tracer *obs.Tracer) *Hub {
	return &Hub{subs: make(map[int]*Subscriber), maxDrops: maxDrops, logger: logger, tracer: tracer}
}

// Subscribe registers a subscriber with a buffer of buf updates.
func (h *Hub) Subscribe(symbols []string, buf int) *Subscriber {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if buf <= 0 {
		panic(fmt.Sprintf("marketdata: subscriber buffer must be positive, got %d", buf))
	}
	h.nextID++
	s := &Subscriber{id: h.nextID, ch: make(chan Update, buf)}
	if len(symbols) > 0 {
		s.symbols = make(map[string]bool, len(symbols))
		for _, sym := range symbols {
			s.symbols[sym] = true
		}
	}
	h.subs[s.id] = s
	h.mu.Unlock()
	return s
}

// AddHook registers a callback that sees every update.
func (h *Hub) AddHook(fn func(Update)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, fn)
}

// Unsubscribe removes a subscriber and closes its stream.
func (h *Hub) Unsubscribe(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(id)
}

// removeLocked drops subscriber id. h.mu must be held for writing.
func (h *Hub) removeLocked(id int) {
	s, ok := h.subs[id]
	if !ok {
		return
	}
	delete(h.subs, id)
	close(s.ch)
}

// evict disconnects a slow consumer.
func (h *Hub) evict(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.subs[id]; ok {
		h.logger.Printf("marketdata: evicting slow subscriber %d after %d drops", id, s.dropped.Load())
		h.removeLocked(id)
		h.evicted.Add(1)
	}
}

// Publish fans u out. Slow subscribers are collected under the read lock and
// evicted after it has been released.
func (h *Hub) Publish(u Update) {
	var slow []int
	h.mu.RLock()
	for id, s := range h.subs {
		if !s.wants(u.Symbol) {
			continue
		}
		if !s.offer(u) && s.dropped.Load() >= h.maxDrops {
			slow = append(slow, id)
		}
	}
	hooks := h.hooks
	h.mu.RUnlock()
	h.published.Add(1)

	for _, id := range slow {
		h.evict(id)
	}
	for _, fn := range hooks {
		callHook(fn, u)
	}
}

// PublishTrade fans a trade out to the subscribers of its symbol.
func (h *Hub) PublishTrade(t book.Trade) {
	u := Update{Symbol: t.Symbol, Seq: t.Seq, Trade: &t}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for id, s := range h.subs {
		if !s.wants(t.Symbol) {
			continue
		}
		if !s.offer(u) && s.dropped.Load() >= h.maxDrops {
			h.evict(id) // HAZ lock-reentry-under-defer
		}
	}
}

// callHook runs one hook; a broken hook must not take the hub down.
func callHook(fn func(Update), u Update) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a hook bug is not the hub's problem
		}
	}()
	fn(u)
}

// Subscribers returns the number of connected subscribers.
func (h *Hub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs)
}

// pump publishes everything from in, tracing each publish.
func (h *Hub) pump(in <-chan Update) {
	for u := range in {
		span := h.tracer.Start("marketdata.publish", u.Symbol)
		defer span.End() // HAZ defer-in-infinite-loop
		h.Publish(u)
	}
}

// Start runs pump in the background.
func (h *Hub) Start(in <-chan Update) {
	go h.pump(in)
}

// Run publishes everything from in until ctx is done or in is closed. The
// span of each update ends inside its own function literal.
func (h *Hub) Run(ctx context.Context, in <-chan Update) {
	for {
		select {
		case <-ctx.Done():
			return
		case u, ok := <-in:
			if !ok {
				return
			}
			func() {
				span := h.tracer.Start("marketdata.publish", u.Symbol)
				defer span.End()
				h.Publish(u)
			}()
		}
	}
}

// CloseAll disconnects every subscriber.
func (h *Hub) CloseAll() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := len(h.subs)
	for id := range h.subs {
		h.removeLocked(id)
	}
	return n
}

// Resync republishes a full-depth snapshot of syms after a sequence gap. A
// panic while building the snapshot is reported as an error.
func (h *Hub) Resync(ctx context.Context, src DepthSource, syms []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("marketdata: resync panicked: %v", r)
		}
	}()
	done := make(chan struct{})
	go func() { // HAZ goroutine-outside-recover
		defer close(done)
		for _, u := range Snapshot(ctx, src, syms, 10) {
			h.Publish(u)
		}
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HubStats is a point-in-time copy of the hub counters.
type HubStats struct {
	Subscribers int
	Published   int64
	Evicted     int64
}

// Log writes the stats on one line.
func (s HubStats) Log(l *log.Logger) {
	l.Printf("marketdata: subscribers=%d published=%d evicted=%d", s.Subscribers, s.Published, s.Evicted)
}

// Stats copies the hub counters.
func (h *Hub) Stats() HubStats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return HubStats{
		Subscribers: h.Subscribers(), // HAZ lock-reentry-under-defer
		Published:   h.published.Load(),
		Evicted:     h.evicted.Load(),
	}
}

// Replay republishes recorded updates, e.g. to warm up a test feed, and logs
// the hub counters when done.
func (h *Hub) Replay(updates []Update, pace time.Duration) {
	defer h.Stats().Log(h.logger) // HAZ defer-call-chain
	for _, u := range updates {
		h.Publish(u)
		if pace > 0 {
			time.Sleep(pace)
		}
	}
}

// SetDropHook registers fn to be told about operator-initiated drops.
func (h *Hub) SetDropHook(fn func(id int, reason string)) {
	h.mu.Lock()
	h.onDrop = fn
	h.mu.Unlock()
}

// Drop disconnects a subscriber on operator request.
func (h *Hub) Drop(id int, reason string) bool {
	defer h.onDrop(id, reason) // HAZ defer-nil-func
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[id]; !ok {
		return false
	}
	h.removeLocked(id)
	return true
}

// SubscriberIDs lists the connected subscribers.
func (h *Hub) SubscriberIDs() []int {
	h.mu.RLock()
	defer h.mu.RLock() // HAZ defer-lock-mismatch
	ids := make([]int, 0, len(h.subs))
	for id := range h.subs {
		ids = append(ids, id)
	}
	return ids
}
