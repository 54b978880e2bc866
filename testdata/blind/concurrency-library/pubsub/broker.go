// Package pubsub is an in-process publish/subscribe broker with per-topic
// subscriptions and a configurable policy for slow consumers.
package pubsub

import (
	"context"
	"errors"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned after the broker is closed.
var ErrClosed = errors.New("pubsub: broker closed")

// Message is a published payload.
type Message struct {
	Topic   string
	Payload []byte
	At      time.Time
}

// SlowPolicy says what Publish does when a subscriber's buffer is full.
type SlowPolicy int

const (
	DropNewest SlowPolicy = iota // discard the message for that subscriber
	DropOldest                   // evict the oldest buffered message
	Disconnect                   // close the subscription
	Wait                         // wait up to the broker's send timeout
)

// Subscription receives the messages of one topic.
type Subscription struct {
	id    uint64
	topic string
	ch    chan Message

	mu      sync.Mutex
	closed  bool
	dropped atomic.Uint64
}

// C is the delivery channel; it is closed when the subscription ends.
func (s *Subscription) C() <-chan Message { return s.ch }

// Dropped reports how many messages were discarded for this subscriber.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

func (s *Subscription) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// Broker routes messages to subscriptions.
type Broker struct {
	mu     sync.RWMutex
	subs   map[string]map[uint64]*Subscription
	feeds  map[string]func()
	nextID uint64
	closed bool

	policy      SlowPolicy
	sendTimeout time.Duration
	logger      *log.Logger
}

// New returns a broker using policy for slow consumers.
func New(policy SlowPolicy, sendTimeout time.Duration, logger *log.Logger) *Broker {
	if logger == nil {
		logger = log.Default()
	}
	return &Broker{
		subs:        make(map[string]map[uint64]*Subscription),
		feeds:       make(map[string]func()),
		policy:      policy,
		sendTimeout: sendTimeout,
		logger:      logger,
	}
}

// Subscribe registers a subscription to topic with a buffer of buf messages.
func (b *Broker) Subscribe(topic string, buf int) (*Subscription, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.nextID++
	s := &Subscription{id: b.nextID, topic: topic, ch: make(chan Message, buf)}
	if b.subs[topic] == nil {
		b.subs[topic] = make(map[uint64]*Subscription)
	}
	b.subs[topic][s.id] = s
	return s, nil
}

// unsubscribeLocked removes s; the caller holds b.mu.
func (b *Broker) unsubscribeLocked(s *Subscription) {
	if m := b.subs[s.topic]; m != nil {
		delete(m, s.id)
		if len(m) == 0 {
			delete(b.subs, s.topic)
		}
	}
	s.close()
}

// Unsubscribe ends s and closes its channel.
func (b *Broker) Unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.unsubscribeLocked(s) // ok: the Locked helper does not lock b.mu
}

// CloseTopic ends every subscription of topic.
func (b *Broker) CloseTopic(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, s := range b.subs[topic] {
		b.Unsubscribe(s) // HAZ lock-reentry-under-defer
		n++
	}
	return n
}

// Publish delivers msg to every subscriber of its topic.
func (b *Broker) Publish(msg Message) error {
	if msg.At.IsZero() {
		msg.At = time.Now()
	}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return ErrClosed
	}
	targets := make([]*Subscription, 0, len(b.subs[msg.Topic]))
	for _, s := range b.subs[msg.Topic] {
		targets = append(targets, s)
	}
	b.mu.RUnlock() // ok: released on both paths
	for _, s := range targets {
		if !b.deliver(s, msg) {
			b.Unsubscribe(s)
		}
	}
	return nil
}

// deliver applies the slow-consumer policy; it reports false when the
// subscriber should be disconnected.
func (b *Broker) deliver(s *Subscription, msg Message) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return true
	}
	select {
	case s.ch <- msg:
		return true
	default:
	}
	switch b.policy {
	case DropOldest:
		select {
		case <-s.ch:
			s.dropped.Add(1)
		default:
		}
		select {
		case s.ch <- msg:
		default:
			s.dropped.Add(1)
		}
		return true
	case Disconnect:
		return false
	case Wait:
		t := time.NewTimer(b.sendTimeout)
		defer t.Stop() // ok: not in a loop, Stop never blocks
		select {
		case s.ch <- msg:
		case <-t.C:
			s.dropped.Add(1)
		}
		return true
	default:
		s.dropped.Add(1)
		return true
	}
}

// PublishBatch delivers msgs atomically per subscriber: no other publisher's
// message can be interleaved between them.
func (b *Broker) PublishBatch(topic string, msgs []Message) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, s := range b.subs[topic] {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		for _, m := range msgs {
			if s.closed {
				break
			}
			select {
			case s.ch <- m:
			default:
				s.dropped.Add(1)
			}
		}
	}
}

// PublishBatchEach is PublishBatch with each subscriber's lock released
// before moving to the next one.
func (b *Broker) PublishBatchEach(topic string, msgs []Message) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, s := range b.subs[topic] {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock() // ok: scoped to the literal
			for _, m := range msgs {
				if s.closed {
					return
				}
				select {
				case s.ch <- m:
				default:
					s.dropped.Add(1)
				}
			}
		}()
	}
}

// Topics lists topics with at least one subscriber.
func (b *Broker) Topics() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]string, 0, len(b.subs))
	for t := range b.subs {
		out = append(out, t)
	}
	return out
}

// StartFeed publishes every payload from src on topic until StopFeed.
func (b *Broker) StartFeed(topic string, src <-chan []byte) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.mu.Lock()
	if old := b.feeds[topic]; old != nil {
		defer old() // ok: checked for nil
	}
	b.feeds[topic] = func() {
		cancel()
		<-done
	}
	b.mu.Unlock()
	go func() {
		defer close(done)
		for {
			select {
			case p, ok := <-src:
				if !ok {
					return
				}
				if err := b.Publish(Message{Topic: topic, Payload: p}); err != nil {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
}

// StopFeed stops topic's feed after announcing the end to subscribers.
func (b *Broker) StopFeed(topic string) {
	b.mu.Lock()
	stop := b.feeds[topic]
	delete(b.feeds, topic)
	b.mu.Unlock()
	defer stop() // HAZ defer-nil-func
	_ = b.Publish(Message{Topic: topic, Payload: []byte("feed stopped")})
}

// Close ends all subscriptions and feeds.
func (b *Broker) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	feeds := b.feeds
	b.feeds = map[string]func(){}
	for _, m := range b.subs {
		for _, s := range m {
			s.close()
		}
	}
	b.subs = map[string]map[uint64]*Subscription{}
	b.mu.Unlock()
	for _, stop := range feeds {
		stop()
	}
}

// Request publishes payload on topic and waits for the first message on
// topic+".reply".
func (b *Broker) Request(ctx context.Context, topic string, payload []byte) (Message, error) {
	reply, err := b.Subscribe(topic+".reply", 1)
	if err != nil {
		return Message{}, err
	}
	defer b.Unsubscribe(reply)
	res := make(chan Message, 1)
	go func() {
		if m, ok := <-reply.C(); ok {
			res <- m // ok: buffered, never blocks
		}
	}()
	if err := b.Publish(Message{Topic: topic, Payload: payload}); err != nil {
		return Message{}, err
	}
	select {
	case m := <-res:
		return m, nil
	case <-ctx.Done():
		return Message{}, ctx.Err()
	}
}
