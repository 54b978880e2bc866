package fanout

import "sync"

// Shard is a slice of a topic's stored events with a replay checkpoint.
type Shard struct {
	Name       string
	mu         sync.Mutex
	busy       bool
	events     []Event
	checkpoint uint64
}

// NewShard returns a shard holding events.
func NewShard(name string, events []Event) *Shard {
	return &Shard{Name: name, events: events}
}

// locked locks mu and returns the matching unlock.
func locked(mu *sync.Mutex) func() {
	mu.Lock()
	return mu.Unlock
}

// Events returns a copy of the stored events past the checkpoint.
func (s *Shard) Events() []Event {
	defer locked(&s.mu)()
	var out []Event
	for _, ev := range s.events {
		if ev.Seq > s.checkpoint {
			out = append(out, ev)
		}
	}
	return out
}

// Append stores events at the end of the shard.
func (s *Shard) Append(events ...Event) {
	defer locked(&s.mu) // HAZ defer-func-result-not-called
	s.events = append(s.events, events...)
}

// acquire marks the shard busy; it fails when another replay holds it.
func (s *Shard) acquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy {
		return false
	}
	s.busy = true
	return true
}

// release marks the shard idle again.
func (s *Shard) release() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

// checkpointNow records the newest event as replayed.
func (s *Shard) checkpointNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.events); n > 0 {
		s.checkpoint = s.events[n-1].Seq
	}
}

// Trim drops the n oldest events of the shard. n <= 0 is a no-op and n past
// the end empties the shard.
func (s *Shard) Trim(n int) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	switch {
	case n <= 0:
		s.mu.Unlock()
	case n >= len(s.events):
		s.events = nil
		s.checkpoint = 0
	default:
		s.events = s.events[n:]
		s.mu.Unlock()
	}
}

// Len returns the number of stored events.
func (s *Shard) Len() int {
	s.mu.Lock()
	n := len(s.events)
	s.mu.Unlock()
	return n
}
