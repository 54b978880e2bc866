// Package pubsub is an in-process topic hub with non-blocking delivery.
package pubsub

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned after Hub.Close.
var ErrClosed = errors.New("pubsub: hub closed")

// Message is one published payload.
type Message struct {
	Topic   string
	Payload []byte
	Time    time.Time
}

// Hub routes messages to subscriptions by topic.
type Hub struct {
	mu        sync.RWMutex
	subs      map[string]map[*Subscription]struct{}
	last      map[string]Message
	closed    bool
	closeOnce sync.Once

	dropped  atomic.Int64
	counters Counters
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{
		subs: make(map[string]map[*Subscription]struct{}),
		last: make(map[string]Message),
	}
}

// Subscribe registers a subscription with a buffer of buf messages.
func (h *Hub) Subscribe(topic string, buf int) (*Subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	s := newSubscription(h, topic, buf)
	set := h.subs[topic]
	if set == nil {
		set = make(map[*Subscription]struct{})
		h.subs[topic] = set
	}
	set[s] = struct{}{}
	return s, nil
}

// Unsubscribe removes s and closes its channel. It is safe to call more than
// once. s.close takes the subscription's own mutex, not the hub's, so
// calling it while h.mu is held does not re-enter h.mu.
func (h *Hub) Unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if set := h.subs[s.topic]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.subs, s.topic)
		}
	}
	s.close()
}

// Publish delivers m to every current subscriber of m.Topic without
// blocking and returns how many accepted it. The subscriber set is copied
// under the lock; the sends happen after it is released.
func (h *Hub) Publish(m Message) int {
	if m.Time.IsZero() {
		m.Time = time.Now()
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return 0
	}
	h.last[m.Topic] = m
	targets := make([]*Subscription, 0, len(h.subs[m.Topic]))
	for s := range h.subs[m.Topic] {
		targets = append(targets, s)
	}
	h.mu.Unlock()

	n := 0
	for _, s := range targets {
		if s.offer(m) {
			n++
		} else {
			h.dropped.Add(1)
		}
	}
	h.counters.Add(m.Topic, int64(n))
	return n
}

// Last returns the most recent message published on topic.
func (h *Hub) Last(topic string) (Message, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	m, ok := h.last[topic]
	return m, ok
}

// Topics lists the topics that currently have subscribers.
func (h *Hub) Topics() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]string, 0, len(h.subs))
	for t := range h.subs {
		out = append(out, t)
	}
	return out
}

// Dropped reports how many deliveries were skipped because a subscriber's
// buffer was full.
func (h *Hub) Dropped() int64 { return h.dropped.Load() }

// Deliveries returns per-topic delivery counts.
func (h *Hub) Deliveries() map[string]int64 { return h.counters.Snapshot() }

// Close closes every subscription. Later Subscribe calls fail and Publish
// becomes a no-op. It is safe to call more than once.
func (h *Hub) Close() {
	h.closeOnce.Do(func() {
		h.mu.Lock()
		h.closed = true
		all := h.subs
		h.subs = make(map[string]map[*Subscription]struct{})
		h.mu.Unlock()
		for _, set := range all {
			for s := range set {
				s.close()
			}
		}
	})
}
