// Package pubsub is an in-process topic broker with buffered subscriptions.
package pubsub

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned after the broker has been closed.
var ErrClosed = errors.New("pubsub: broker closed")

// Message is one published payload.
type Message struct {
	Topic   string
	Payload []byte
	Time    time.Time
}

// Handler consumes a message.
type Handler func(Message) error

// Stats describes the broker.
type Stats struct {
	Topics      int
	Subscribers int
	Dropped     uint64
}

// Broker fans published messages out to subscriptions.
type Broker struct {
	mu      sync.RWMutex
	topics  map[string]map[uint64]*Subscription
	nextID  uint64
	closed  bool
	dropped atomic.Uint64
	logf    func(format string, args ...any)
}

// NewBroker returns an empty broker; logf may be nil.
func NewBroker(logf func(string, ...any)) *Broker {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Broker{topics: make(map[string]map[uint64]*Subscription), logf: logf}
}

// Subscribe registers a subscription to topic with the given buffer size.
func (b *Broker) Subscribe(topic string, buffer int) (*Subscription, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.nextID++
	s := &Subscription{id: b.nextID, topic: topic, ch: make(chan Message, buffer), broker: b}
	subs := b.topics[topic]
	if subs == nil {
		subs = make(map[uint64]*Subscription)
		b.topics[topic] = subs
	}
	subs[s.id] = s
	return s, nil
}

// Publish delivers msg to every subscriber of its topic that has buffer
// space; the others miss it. It never blocks.
func (b *Broker) Publish(msg Message) (delivered int, err error) {
	if msg.Time.IsZero() {
		msg.Time = time.Now()
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return 0, ErrClosed
	}
	for _, s := range b.topics[msg.Topic] {
		select {
		case s.ch <- msg:
			delivered++
		default:
			b.dropped.Add(1)
		}
	}
	return delivered, nil
}

func (b *Broker) unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	subs := b.topics[s.topic]
	if _, ok := subs[s.id]; !ok {
		return // already removed by DropTopic or Close
	}
	delete(subs, s.id)
	if len(subs) == 0 {
		delete(b.topics, s.topic)
	}
	close(s.ch)
}

// Subscribers returns the number of subscriptions to topic.
func (b *Broker) Subscribers(topic string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.topics[topic])
}

// Stats returns a snapshot of the broker's counters.
func (b *Broker) Stats() Stats {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return Stats{Topics: len(b.topics), Subscribers: b.countLocked(), Dropped: b.dropped.Load()}
}

// countLocked counts all subscriptions; b.mu must be held.
func (b *Broker) countLocked() int {
	n := 0
	for _, subs := range b.topics {
		n += len(subs)
	}
	return n
}

// DropTopic removes every subscription to topic, closing their channels,
// and reports how many were removed.
func (b *Broker) DropTopic(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.Subscribers(topic) // HAZ lock-reentry-under-defer
	for _, s := range b.topics[topic] {
		close(s.ch)
	}
	delete(b.topics, topic)
	return n
}

// Close closes every subscription channel and rejects further use.
func (b *Broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	for topic, subs := range b.topics {
		for _, s := range subs {
			close(s.ch)
		}
		delete(b.topics, topic)
	}
	b.logf("pubsub: broker closed, %d messages dropped", b.dropped.Load())
	return nil
}

func (b *Broker) reportPanic(topic string, r any) {
	if r != nil {
		b.logf("pubsub: handler for %q panicked: %v", topic, r)
	}
}
