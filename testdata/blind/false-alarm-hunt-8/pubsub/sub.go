package pubsub

import "sync"

// Subscription receives the messages of one topic.
type Subscription struct {
	hub   *Hub
	topic string
	ch    chan Message

	mu     sync.Mutex
	closed bool
}

func newSubscription(h *Hub, topic string, buf int) *Subscription {
	if buf < 1 {
		buf = 1
	}
	return &Subscription{hub: h, topic: topic, ch: make(chan Message, buf)}
}

// C returns the delivery channel; it is closed when the subscription ends.
func (s *Subscription) C() <-chan Message { return s.ch }

// Topic returns the subscribed topic.
func (s *Subscription) Topic() string { return s.topic }

// Cancel unsubscribes s from its hub.
func (s *Subscription) Cancel() { s.hub.Unsubscribe(s) }

// offer delivers m if there is room. The closed flag and the send are
// checked under the same mutex as close, so a send never hits a closed
// channel.
func (s *Subscription) offer(m Message) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	select {
	case s.ch <- m:
		return true
	default:
		return false
	}
}

func (s *Subscription) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}
