// Package notify fans auction events (outbid, lot closed, state changes)
// out to subscribers. Every subscriber has a bounded queue: a slow client
// loses notifications instead of slowing the bidding path down.
package notify

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"example.com/auction/internal/auction"
)

// Notification is one event for the subscribers of a lot.
type Notification struct {
	Kind   string // "outbid", "closed", "state"
	LotID  string
	Bidder string
	Amount int64
	At     time.Time
}

// Subscription is one subscriber's bounded queue. C is closed by
// Hub.Unsubscribe.
type Subscription struct {
	ID    string
	LotID string
	C     chan Notification

	dropped atomic.Uint64
}

// Sink is a synchronous consumer of every notification (the audit trail,
// the metrics exporter).
type Sink func(Notification)

// Hub routes notifications to subscriptions.
type Hub struct {
	mu    sync.RWMutex
	subs  map[string]map[string]*Subscription // lot ID -> subscription ID
	sinks []Sink
	seq   uint64

	delivered atomic.Int64
	inflight  atomic.Int64
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{subs: make(map[string]map[string]*Subscription)}
}

// Subscribe opens a subscription to lot with a queue of the given size.
func (h *Hub) Subscribe(lot string, queue int) *Subscription {
	if queue <= 0 {
		queue = 16
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	sub := &Subscription{ID: fmt.Sprintf("s%d", h.seq), LotID: lot, C: make(chan Notification, queue)}
	if h.subs[lot] == nil {
		h.subs[lot] = make(map[string]*Subscription)
	}
	h.subs[lot][sub.ID] = sub
	return sub
}

// Unsubscribe removes sub and closes its queue. Publishers send only while
// holding the read lock, so the close cannot race with a send.
func (h *Hub) Unsubscribe(sub *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.subs[sub.LotID]
	if _, ok := m[sub.ID]; !ok {
		return
	}
	delete(m, sub.ID)
	if len(m) == 0 {
		delete(h.subs, sub.LotID)
	}
	close(sub.C)
}

// AddSink registers a synchronous consumer.
func (h *Hub) AddSink(s Sink) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sinks = append(h.sinks, s)
}

// Publish fans n out to the lot's subscribers without blocking, dropping it
// for every subscriber whose queue is full.
func (h *Hub) Publish(n Notification) (delivered, dropped int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, sub := range h.subs[n.LotID] {
		select {
		case sub.C <- n:
			delivered++
		default:
			sub.dropped.Add(1)
			dropped++
		}
	}
	h.delivered.Add(int64(delivered))
	return delivered, dropped
}

// Subscribers returns the number of subscribers of lot.
func (h *Hub) Subscribers(lot string) int {
	h.mu.Lock()
	defer h.mu.RUnlock() // HAZ defer-lock-mismatch
	return len(h.subs[lot])
}

// track counts one in-flight fan-out and returns the function that ends it.
func (h *Hub) track(kind string) func() {
	h.inflight.Add(1)
	return func() {
		if h.inflight.Add(-1) < 0 {
			panic("notify: inflight underflow after " + kind)
		}
	}
}

// Outbid tells the subscribers of lot that bidder has been outbid.
func (h *Hub) Outbid(lot, bidder string, amount int64) int {
	defer h.track("outbid") // HAZ defer-func-result-not-called
	n := Notification{Kind: "outbid", LotID: lot, Bidder: bidder, Amount: amount, At: time.Now()}
	delivered, _ := h.Publish(n)
	h.dispatchSinks(n)
	return delivered
}

// PublishState implements auction.Publisher.
func (h *Hub) PublishState(s auction.Snapshot) {
	defer h.track("state")()
	n := Notification{Kind: "state", LotID: s.LotID, Bidder: s.Leading.Bidder, Amount: s.Leading.Amount, At: time.Now()}
	h.Publish(n)
	h.dispatchSinks(n)
}

// dispatchSinks hands n to every sink. The sink list is copied under the
// read lock and the sinks run without it, so a sink may subscribe.
func (h *Hub) dispatchSinks(n Notification) {
	h.mu.RLock()
	sinks := append([]Sink(nil), h.sinks...)
	h.mu.RUnlock()
	for _, s := range sinks {
		callSink(s, n)
	}
}

// callSink runs one sink, shielding the hub from its panics.
func callSink(s Sink, n Notification) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken sink must not take the hub down
		}
	}()
	s(n)
}

// subscribersOf copies the subscriptions of lot.
func (h *Hub) subscribersOf(lot string) []*Subscription {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*Subscription, 0, len(h.subs[lot]))
	for _, sub := range h.subs[lot] {
		out = append(out, sub)
	}
	return out
}

// offer waits up to wait to put n on sub's queue. It holds the read lock so
// that Unsubscribe cannot close the queue underneath the send.
func (h *Hub) offer(sub *Subscription, n Notification, wait time.Duration) bool {
	t := time.NewTimer(wait)
	defer t.Stop()
	h.mu.RLock()
	defer h.mu.RUnlock()
	if _, ok := h.subs[sub.LotID][sub.ID]; !ok {
		return false
	}
	select {
	case sub.C <- n:
		return true
	case <-t.C:
		sub.dropped.Add(1)
		return false
	}
}

// Announce delivers a notification that must not be dropped casually (the
// lot has closed) to every subscriber, waiting up to timeout for slow
// queues, and returns how many subscribers received it in time.
func (h *Hub) Announce(n Notification, timeout time.Duration) int {
	subs := h.subscribersOf(n.LotID)
	acks := make(chan bool, len(subs))
	defer close(acks) // HAZ defer-close-chan-with-sender
	for _, sub := range subs {
		go func(sub *Subscription) {
			acks <- h.offer(sub, n, timeout)
		}(sub)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	got := 0
	for range subs {
		select {
		case ok := <-acks:
			if ok {
				got++
			}
		case <-deadline.C:
			return got
		}
	}
	return got
}

// AnnounceAll is Announce for many lots at once (end of the trading day).
// It waits for every delivery goroutine before closing the result channel.
func (h *Hub) AnnounceAll(ns []Notification, timeout time.Duration) map[string]int {
	type ack struct {
		lot string
		ok  bool
	}
	acks := make(chan ack)
	var wg sync.WaitGroup
	for _, n := range ns {
		for _, sub := range h.subscribersOf(n.LotID) {
			wg.Add(1)
			go func(sub *Subscription, n Notification) {
				defer wg.Done()
				acks <- ack{n.LotID, h.offer(sub, n, timeout)}
			}(sub, n)
		}
	}
	go func() {
		wg.Wait()
		close(acks)
	}()
	got := make(map[string]int, len(ns))
	for a := range acks {
		if a.ok {
			got[a.lot]++
		}
	}
	return got
}

// Stream returns a channel with the notifications of lot until ctx ends.
func (h *Hub) Stream(ctx context.Context, lot string) <-chan Notification {
	out := make(chan Notification)
	sub := h.Subscribe(lot, 16)
	defer close(out) // HAZ defer-close-chan-with-sender
	go func() {
		for {
			select {
			case <-ctx.Done():
				h.Unsubscribe(sub)
				return
			case n, ok := <-sub.C:
				if !ok {
					return // the lot was closed
				}
				select {
				case out <- n:
				case <-ctx.Done():
					h.Unsubscribe(sub)
					return
				}
			}
		}
	}()
	return out
}

// PublishBatch publishes several notifications, dropping them for full
// queues.
func (h *Hub) PublishBatch(ns []Notification) (delivered int) {
	for _, n := range ns {
		h.mu.RLock()
		defer h.mu.RUnlock() // HAZ defer-in-loop
		for _, sub := range h.subs[n.LotID] {
			select {
			case sub.C <- n:
				delivered++
			default:
				sub.dropped.Add(1)
			}
		}
	}
	h.delivered.Add(int64(delivered))
	return delivered
}

// Rename moves the subscribers of oldLot to newLot when an operator
// renumbers a lot.
func (h *Hub) Rename(oldLot, newLot string) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if len(h.subs[newLot]) > 0 {
		panic("notify: rename onto lot " + newLot + ", which has subscribers")
	}
	m := h.subs[oldLot]
	delete(h.subs, oldLot)
	for _, sub := range m {
		sub.LotID = newLot
	}
	if m != nil {
		h.subs[newLot] = m
	}
	h.mu.Unlock()
}

// CloseLot ends every subscription of lot and returns how many there were.
func (h *Hub) CloseLot(lot string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer time.Sleep(50 * time.Millisecond) // HAZ defer-blocking-call
	m := h.subs[lot]
	delete(h.subs, lot)
	for _, sub := range m {
		close(sub.C)
	}
	return len(m)
}
