package kv

import "strings"

type watcher struct {
	prefix string
	ch     chan Event
}

// Watch subscribes to events on keys with the given prefix. The returned
// channel is closed when cancel is called or when the watcher falls more than
// buf events behind (the consumer is then expected to re-read and re-watch).
func (s *Store) Watch(prefix string, buf int) (<-chan Event, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()

	id := s.nextWatch
	s.nextWatch++
	w := &watcher{prefix: prefix, ch: make(chan Event, buf)}
	s.watchers[id] = w

	cancel := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if cur, ok := s.watchers[id]; ok && cur == w {
			delete(s.watchers, id)
			close(w.ch)
		}
	}
	return w.ch, cancel
}

// notifyLocked fans ev out to matching watchers without blocking. A watcher
// whose buffer is full is dropped and its channel closed; both happen under
// s.mu, as does cancel, so a channel is never sent on after it is closed.
func (s *Store) notifyLocked(ev Event) {
	for id, w := range s.watchers {
		if !strings.HasPrefix(ev.Key, w.prefix) {
			continue
		}
		select {
		case w.ch <- ev:
		default:
			delete(s.watchers, id)
			close(w.ch)
		}
	}
}
