package outsiderecover

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type topicSub struct {
	topic string
	ch    chan string
	once  sync.Once
}

func (s *topicSub) close() { s.once.Do(func() { close(s.ch) }) }

type topicHub struct {
	mu   sync.Mutex
	subs map[string]map[*topicSub]struct{}
	ttl  map[string]time.Time
	hook func(string)
}

// unsubscribe only deletes under the lock and closes through a once.
func (h *topicHub) unsubscribe(s *topicSub) {
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

// notify runs whatever hook the program installed.
func (h *topicHub) notify(topic string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hook(topic)
}

// The callback only unsubscribes: book-keeping that cannot panic. No finding.
func (h *topicHub) follow(ctx context.Context, topics []string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("follow: %v", v)
		}
	}()
	for _, t := range topics {
		s := &topicSub{topic: t, ch: make(chan string, 8)}
		context.AfterFunc(ctx, func() { h.unsubscribe(s) })
	}
	return nil
}

// An expiry timer that deletes under the lock in place. No finding.
func (h *topicHub) expire(key string, d time.Duration) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("expire: %v", v)
		}
	}()
	time.AfterFunc(d, func() {
		h.mu.Lock()
		delete(h.ttl, key)
		h.mu.Unlock()
	})
	return nil
}

// The callback reaches a hook through the package's own method: whatever it runs can panic.
func (h *topicHub) followNotify(ctx context.Context, topic string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("follow: %v", v)
		}
	}()
	context.AfterFunc(ctx, func() { h.notify(topic) }) // want `but context\.AfterFunc on line \d+ runs its function later in a goroutine of its own`
	return nil
}
