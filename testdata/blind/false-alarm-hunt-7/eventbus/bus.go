// Package eventbus is an in-process publish/subscribe bus with synchronous
// and asynchronous delivery.
package eventbus

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
)

// Event is a published message.
type Event struct {
	Topic   string
	Payload any
	Seq     uint64
}

// Handler receives events.
type Handler func(ctx context.Context, ev Event) error

// ErrClosed is returned after Close.
var ErrClosed = errors.New("eventbus: closed")

type subscriber struct {
	id      uint64
	topic   string
	handler Handler
}

// Bus routes events to subscribers by topic. "*" subscribes to all topics.
type Bus struct {
	mu      sync.RWMutex
	subs    map[string][]*subscriber
	nextID  uint64
	seq     atomic.Uint64
	closed  bool
	onError func(topic string, err error)
	logger  *log.Logger
}

// Option configures a Bus.
type Option func(*Bus)

// WithErrorHook installs a hook for handler errors and panics.
func WithErrorHook(fn func(topic string, err error)) Option {
	return func(b *Bus) { b.onError = fn }
}

// WithLogger sets the logger used for panics when no error hook is set.
func WithLogger(l *log.Logger) Option {
	return func(b *Bus) { b.logger = l }
}

// New returns an empty bus.
func New(opts ...Option) *Bus {
	b := &Bus{subs: make(map[string][]*subscriber), logger: log.Default()}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Subscribe registers h for topic and returns a function that removes it.
// The returned function is safe to call more than once.
func (b *Bus) Subscribe(topic string, h Handler) (unsubscribe func(), err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.nextID++
	s := &subscriber{id: b.nextID, topic: topic, handler: h}
	b.subs[topic] = append(b.subs[topic], s)
	var once sync.Once
	return func() { once.Do(func() { b.remove(s) }) }, nil
}

func (b *Bus) remove(s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	list := b.subs[s.topic]
	for i, x := range list {
		if x.id == s.id {
			b.subs[s.topic] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(b.subs[s.topic]) == 0 {
		delete(b.subs, s.topic)
	}
}

// snapshot returns the handlers for topic without holding the lock while
// they run, so handlers may subscribe or unsubscribe.
func (b *Bus) snapshot(topic string) ([]*subscriber, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return nil, ErrClosed
	}
	out := make([]*subscriber, 0, len(b.subs[topic])+len(b.subs["*"]))
	out = append(out, b.subs[topic]...)
	out = append(out, b.subs["*"]...)
	return out, nil
}

// Publish delivers payload to every subscriber of topic synchronously and
// returns the joined handler errors. A panicking handler is reported as an
// error and does not stop delivery to the others.
func (b *Bus) Publish(ctx context.Context, topic string, payload any) error {
	subs, err := b.snapshot(topic)
	if err != nil {
		return err
	}
	ev := Event{Topic: topic, Payload: payload, Seq: b.seq.Add(1)}
	var errs []error
	for _, s := range subs {
		if err := b.deliver(ctx, s, ev); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deliver calls one handler, converting a panic into an error.
func (b *Bus) deliver(ctx context.Context, s *subscriber, ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("eventbus: handler %d for %q panicked: %v", s.id, ev.Topic, r)
		}
	}()
	if err = s.handler(ctx, ev); err != nil {
		b.report(ev.Topic, err)
	}
	return err
}

func (b *Bus) report(topic string, err error) {
	if b.onError != nil {
		b.onError(topic, err)
		return
	}
	b.logger.Printf("eventbus: %s: %v", topic, err)
}

// Notify delivers to every subscriber and ignores errors, for fire-and-
// forget notifications. A panic in one handler must not stop the others.
func (b *Bus) Notify(ctx context.Context, topic string, payload any) {
	subs, err := b.snapshot(topic)
	if err != nil {
		return
	}
	ev := Event{Topic: topic, Payload: payload, Seq: b.seq.Add(1)}
	for _, s := range subs {
		b.notifyOne(ctx, s, ev)
	}
}

func (b *Bus) notifyOne(ctx context.Context, s *subscriber, ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep notifying the remaining subscribers
		}
	}()
	_ = s.handler(ctx, ev)
}

// Broadcast delivers to every subscriber, logging the first panic only.
func (b *Bus) Broadcast(ctx context.Context, topic string, payload any) {
	subs, err := b.snapshot(topic)
	if err != nil {
		return
	}
	ev := Event{Topic: topic, Payload: payload, Seq: b.seq.Add(1)}
	var logOnce sync.Once
	for _, s := range subs {
		func() {
			defer func() {
				logOnce.Do(func() {
					if r := recover(); r != nil { // HAZ recover-ineffective
						b.logger.Printf("eventbus: broadcast %q: handler panicked: %v", topic, r)
					}
				})
			}()
			_ = s.handler(ctx, ev)
		}()
	}
}

// Topics returns the subscribed topics in sorted order.
func (b *Bus) Topics() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]string, 0, len(b.subs))
	for t := range b.subs {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Close rejects further publishing and subscribing.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	clear(b.subs)
}
