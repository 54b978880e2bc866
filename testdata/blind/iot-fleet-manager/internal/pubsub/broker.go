// Package pubsub is an in-process, MQTT-like publish/subscribe broker used
// to fan device events out to operators, bridges and internal consumers.
package pubsub

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Subscribe after Close.
var ErrClosed = errors.New("pubsub: broker closed")

// Message is one published message.
type Message struct {
	Topic   string
	Payload []byte
	Retain  bool
}

// Subscription receives the messages matching its filter. Messages are
// dropped, and counted, when the subscriber does not keep up.
type Subscription struct {
	filter  string
	ch      chan Message
	dropped atomic.Uint64
}

// C returns the channel messages are delivered on; it is closed when the
// subscription ends.
func (s *Subscription) C() <-chan Message { return s.ch }

// Dropped returns the number of messages lost to a full buffer.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Broker routes published messages to subscriptions.
type Broker struct {
	mu       sync.RWMutex
	subs     map[*Subscription]struct{}
	retained map[string]Message
	closed   bool
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{subs: make(map[*Subscription]struct{}), retained: make(map[string]Message)}
}

// Subscribe registers a subscription with the given buffer size and
// delivers the retained messages that match.
func (b *Broker) Subscribe(filter string, buffer int) (*Subscription, error) {
	if err := ValidateFilter(filter); err != nil {
		return nil, err
	}
	s := &Subscription{filter: filter, ch: make(chan Message, buffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.subs[s] = struct{}{}
	for _, m := range b.retained {
		if !Match(filter, m.Topic) {
			continue
		}
		select {
		case s.ch <- m:
		default:
			s.dropped.Add(1)
		}
	}
	return s, nil
}

// Unsubscribe ends a subscription and closes its channel.
func (b *Broker) Unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[s]; !ok {
		return
	}
	delete(b.subs, s)
	close(s.ch)
}

// Publish delivers m to every matching subscription without blocking and
// returns how many received it.
func (b *Broker) Publish(m Message) int {
	if m.Retain {
		b.retain(m)
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	n := 0
	for s := range b.subs {
		if !Match(s.filter, m.Topic) {
			continue
		}
		select {
		case s.ch <- m:
			n++
		default:
			s.dropped.Add(1)
		}
	}
	return n
}

func (b *Broker) retain(m Message) {
	b.mu.Lock()
	if len(m.Payload) == 0 {
		delete(b.retained, m.Topic)
	} else {
		b.retained[m.Topic] = m
	}
	b.mu.Unlock()
}

func (b *Broker) retainedFor(filter string) []Message {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []Message
	for _, m := range b.retained {
		if Match(filter, m.Topic) {
			out = append(out, m)
		}
	}
	return out
}

// Redeliver re-sends the retained messages matching s's filter, for
// example after the consumer behind s restarted. s may be unsubscribed
// concurrently.
func (b *Broker) Redeliver(s *Subscription) int {
	defer recover() // HAZ recover-ineffective
	msgs := b.retainedFor(s.filter)
	for _, m := range msgs {
		s.ch <- m
	}
	return len(msgs)
}

// Stats returns the number of subscriptions and retained messages.
func (b *Broker) Stats() (subs, retained int) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs), len(b.retained)
}

// Close ends every subscription; later Subscribe calls fail.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for s := range b.subs {
		close(s.ch)
		delete(b.subs, s)
	}
}

// ClearRetained removes the retained messages under a topic prefix by
// retaining empty payloads, as MQTT does.
func (b *Broker) ClearRetained(prefix string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for topic := range b.retained {
		if strings.HasPrefix(topic, prefix) {
			b.retain(Message{Topic: topic}) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}
