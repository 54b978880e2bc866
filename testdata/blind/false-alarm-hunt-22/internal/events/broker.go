// Package events is the relay's in-process publish/subscribe broker, its
// server-sent-events endpoint and the webhook relay that drains it.
package events

import (
	"encoding/json"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Event is one published message.
type Event struct {
	Topic string          `json:"topic"`
	ID    string          `json:"id,omitempty"`
	Data  json.RawMessage `json:"data"`
	At    time.Time       `json:"at"`
}

// Sub is one subscription. C is closed exactly once, when the subscriber
// is removed or the broker closes.
type Sub struct {
	C       chan Event
	topic   string
	once    sync.Once
	dropped atomic.Int64
}

func (s *Sub) close() {
	s.once.Do(func() { close(s.C) })
}

// Dropped reports how many events were dropped because C was full.
func (s *Sub) Dropped() int64 {
	return s.dropped.Load()
}

// Broker fans events out to subscribers without ever blocking publishers.
type Broker struct {
	mu     sync.RWMutex
	subs   map[string]map[*Sub]struct{}
	closed bool
	done   chan struct{}
	once   sync.Once
}

// NewBroker returns an open broker.
func NewBroker() *Broker {
	return &Broker{
		subs: make(map[string]map[*Sub]struct{}),
		done: make(chan struct{}),
	}
}

// Subscribe registers a subscriber for topic with a buffer of buf events.
// On a closed broker the returned Sub is already closed.
func (b *Broker) Subscribe(topic string, buf int) *Sub {
	s := &Sub{C: make(chan Event, buf), topic: topic}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.close()
		return s
	}
	set := b.subs[topic]
	if set == nil {
		set = make(map[*Sub]struct{})
		b.subs[topic] = set
	}
	set[s] = struct{}{}
	return s
}

// Unsubscribe removes s and closes its channel. It is safe to call twice.
func (b *Broker) Unsubscribe(s *Sub) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if set := b.subs[s.topic]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(b.subs, s.topic)
		}
	}
	s.close()
}

// Publish delivers ev to every subscriber of its topic that has room and
// returns how many received it. Channels are only closed under the write
// lock, so sending under the read lock cannot hit a closed channel.
func (b *Broker) Publish(ev Event) int {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return 0
	}
	n := 0
	for s := range b.subs[ev.Topic] {
		select {
		case s.C <- ev:
			n++
		default:
			s.dropped.Add(1)
		}
	}
	return n
}

// Close closes every subscription. Further calls are no-ops.
func (b *Broker) Close() {
	b.once.Do(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.closed = true
		for topic, set := range b.subs {
			for s := range set {
				s.close()
			}
			delete(b.subs, topic)
		}
		close(b.done)
	})
}

// Done is closed once the broker has been closed.
func (b *Broker) Done() <-chan struct{} {
	return b.done
}

// Topics lists the topics that currently have subscribers.
func (b *Broker) Topics() []string {
	b.mu.RLock()
	defer b.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]string, 0, len(b.subs))
	for t := range b.subs {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Stats returns the subscriber count of every topic.
func (b *Broker) Stats() map[string]int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make(map[string]int, len(b.subs))
	for topic := range b.subs {
		out[topic] = b.SubscriberCount(topic) // HAZ lock-reentry-under-defer
	}
	return out
}

// Dropped sums the drops of every current subscriber.
func (b *Broker) Dropped() map[string]int64 {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make(map[string]int64, len(b.subs))
	for topic, set := range b.subs {
		for s := range set {
			out[topic] += s.Dropped()
		}
	}
	return out
}

// SubscriberCount returns the number of subscribers of topic.
func (b *Broker) SubscriberCount(topic string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return 0
	}
	return len(b.subs[topic])
}
