// Package broker is a small in-process pub/sub broker with a TCP front end.
package broker

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

var ErrTopicClosed = errors.New("broker: topic closed")

type Message struct {
	Key       string
	Value     []byte
	Offset    int64
	Published time.Time
}

// Subscription is a bounded mailbox; slow subscribers lose messages.
type Subscription struct {
	id      string
	ch      chan Message
	dropped atomic.Int64
}

func (s *Subscription) offer(m Message) bool {
	select {
	case s.ch <- m:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

type topicMetrics struct {
	published, unrouted atomic.Int64
}

// Topic fans messages out to its subscribers and retains the tail.
type Topic struct {
	name string
	log  *slog.Logger

	mu        sync.Mutex
	subs      map[string]*Subscription
	retained  []Message
	maxRetain int
	next      int64
	closed    bool
	onDrop    func(Message)

	metrics topicMetrics
}

func NewTopic(name string, maxRetain int, log *slog.Logger) *Topic {
	return &Topic{name: name, log: log, subs: map[string]*Subscription{}, maxRetain: maxRetain}
}

// SubscriberCount is exported for the admin API.
func (t *Topic) SubscriberCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.subs)
}

func (t *Topic) subscriberCountLocked() int { return len(t.subs) }

func (t *Topic) retainLocked(m Message) Message {
	m.Offset = t.next
	t.next++
	t.retained = append(t.retained, m)
	if len(t.retained) > t.maxRetain {
		t.retained = t.retained[len(t.retained)-t.maxRetain:]
	}
	return m
}

// Subscribe adds a subscriber with a mailbox of size buf.
func (t *Topic) Subscribe(id string, buf int) (<-chan Message, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, ErrTopicClosed
	}
	s := &Subscription{id: id, ch: make(chan Message, buf)}
	t.subs[id] = s
	return s.ch, nil
}

// Publish appends msg to the topic and delivers it to every subscriber.
func (t *Topic) Publish(msg Message) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0, ErrTopicClosed
	}
	msg.Published = time.Now()
	msg = t.retainLocked(msg)
	t.metrics.published.Add(1)
	if t.SubscriberCount() == 0 { // HAZ lock-reentry-under-defer
		t.metrics.unrouted.Add(1)
		return 0, nil
	}
	delivered := 0
	for _, s := range t.subs {
		if s.offer(msg) {
			delivered++
		}
	}
	return delivered, nil
}

// PublishBatch is used by the replication path.
func (t *Topic) PublishBatch(msgs []Message) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0, ErrTopicClosed
	}
	if t.subscriberCountLocked() == 0 { // ok: lock-free helper
		for _, m := range msgs {
			t.retainLocked(m)
		}
		t.metrics.unrouted.Add(int64(len(msgs)))
		return 0, nil
	}
	delivered := 0
	now := time.Now()
	for _, m := range msgs {
		m.Published = now
		m = t.retainLocked(m)
		for _, s := range t.subs {
			if s.offer(m) {
				delivered++
			}
		}
	}
	return delivered, nil
}

// SetDropHook installs a callback for messages removed by Compact.
func (t *Topic) SetDropHook(fn func(Message)) {
	t.mu.Lock()
	t.onDrop = fn
	t.mu.Unlock()
}

func (t *Topic) reportDropped(msgs []Message) {
	t.mu.Lock()
	hook := t.onDrop
	t.mu.Unlock()
	if hook == nil {
		return
	}
	for _, m := range msgs {
		hook(m)
	}
}

// Compact trims the retained tail to keep messages. Drop hooks may call back
// into the topic, so they run with the lock temporarily released.
func (t *Topic) Compact(keep int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.retained) <= keep {
		return 0
	}
	cut := len(t.retained) - keep
	dropped := append([]Message(nil), t.retained[:cut]...)
	t.retained = append(t.retained[:0], t.retained[cut:]...)

	t.mu.Unlock()
	t.reportDropped(dropped) // ok: called with t.mu released
	t.mu.Lock()

	t.log.Debug("compacted topic", "topic", t.name, "dropped", len(dropped))
	return len(dropped)
}

// Close stops accepting messages and closes every subscriber mailbox.
func (t *Topic) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	for id, s := range t.subs {
		close(s.ch)
		delete(t.subs, id)
	}
}
