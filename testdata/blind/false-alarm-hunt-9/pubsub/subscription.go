package pubsub

import (
	"context"
	"fmt"
	"iter"
	"sync"
)

// Subscription receives the messages of one topic.
type Subscription struct {
	id     uint64
	topic  string
	ch     chan Message
	broker *Broker
	once   sync.Once
}

// Topic returns the subscribed topic.
func (s *Subscription) Topic() string { return s.topic }

// C returns the delivery channel; it is closed when the subscription ends.
func (s *Subscription) C() <-chan Message { return s.ch }

// Close ends the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() { s.broker.unsubscribe(s) })
}

// CloseOnDone closes the subscription when ctx ends; the returned stop
// detaches it from ctx.
func (s *Subscription) CloseOnDone(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, s.Close)
}

// Messages yields messages until ctx ends, the subscription closes, or the
// caller breaks out of its loop.
func (s *Subscription) Messages(ctx context.Context) iter.Seq[Message] {
	return func(yield func(Message) bool) {
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-s.ch:
				if !ok || !yield(m) {
					return
				}
			}
		}
	}
}

// Dispatch hands every message to h until ctx ends or the subscription
// closes. Handler errors and panics are logged and do not stop dispatching.
func (s *Subscription) Dispatch(ctx context.Context, h Handler) error {
	for m := range s.Messages(ctx) {
		if err := s.deliver(h, m); err != nil {
			s.broker.logf("pubsub: %v", err)
		}
	}
	return ctx.Err()
}

func (s *Subscription) deliver(h Handler, m Message) (err error) {
	defer s.recoverHandler(&err)
	return h(m)
}

// recoverHandler is deferred directly, so its recover stops the panic.
func (s *Subscription) recoverHandler(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("handler for %q panicked: %v", s.topic, r)
	}
}

// Drain hands every buffered message to h without waiting for new ones and
// returns how many were handled.
func (s *Subscription) Drain(h Handler) (n int) {
	defer s.broker.reportPanic(s.topic, recover()) // HAZ recover-ineffective
	for {
		select {
		case m, ok := <-s.ch:
			if !ok {
				return n
			}
			if err := h(m); err != nil {
				s.broker.logf("pubsub: drain %q: %v", s.topic, err)
			}
			n++
		default:
			return n
		}
	}
}

// ReplayTo delivers msgs to h in order; a handler that panics on one
// message must not stop the replay. It returns the number of failures.
func ReplayTo(h Handler, msgs []Message) (failed int) {
	for _, m := range msgs {
		func() {
			defer func() {
				recover() // HAZ recover-swallows-panic
			}()
			if err := h(m); err != nil {
				failed++
			}
		}()
	}
	return failed
}
