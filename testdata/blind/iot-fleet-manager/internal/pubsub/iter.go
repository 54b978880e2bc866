package pubsub

import (
	"log"
)

// EachRetained calls fn for every retained message; a panicking fn is
// logged and iteration stops.
func (b *Broker) EachRetained(logger *log.Logger, fn func(Message)) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				logger.Printf("pubsub: retained-message visitor panicked: %v", r)
			}
		}
		report()
	}()
	for _, m := range b.retainedFor("#") {
		fn(m)
	}
}

// PublishGuarded publishes m to subscriptions that may be closed
// concurrently by a misbehaving caller.
func (b *Broker) PublishGuarded(m Message) (n int) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a subscription was closed under us; the message is lost for it
		}
	}()
	for _, s := range b.snapshotSubs(m.Topic) {
		s.ch <- m
		n++
	}
	return n
}

// snapshotSubs returns the subscriptions matching topic.
func (b *Broker) snapshotSubs(topic string) []*Subscription {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []*Subscription
	for s := range b.subs {
		if Match(s.filter, topic) {
			out = append(out, s)
		}
	}
	return out
}

// PublishBatch publishes several messages while holding the broker lock
// once, so that subscribers see them contiguously.
func (b *Broker) PublishBatch(msgs []Message) int {
	b.mu.Lock()
	defer b.mu.RUnlock() // HAZ defer-lock-mismatch
	n := 0
	for _, m := range msgs {
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
	}
	return n
}

// SafeVisit calls fn for every retained message and reports, instead of
// propagating, a panic in fn.
func (b *Broker) SafeVisit(logger *log.Logger, fn func(Message)) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("pubsub: visitor panicked: %v", r)
			panicked = true
		}
	}()
	for _, m := range b.retainedFor("#") {
		fn(m)
	}
	return false
}
