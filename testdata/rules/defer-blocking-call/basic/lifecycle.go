package fixture

import (
	"sync"
	"time"
)

type lifeEvent struct{ name string }

// The channel is made unbuffered by the constructor, a function with no defer or go statement of
// its own; a deferred send on it waits for the consumer.
type registry struct {
	mu     sync.Mutex
	events chan lifeEvent
	items  map[string]int
}

func newRegistry() *registry {
	return &registry{events: make(chan lifeEvent), items: map[string]int{}}
}

func (r *registry) Events() <-chan lifeEvent { return r.events }

func (r *registry) announce(name string) {
	r.events <- lifeEvent{name}
}

func (r *registry) remove(name string) {
	defer r.announce(name) // want `deferred r.announce\(name\) → registry.announce → r.events <- lifeEvent\{name\} .* blocks until another goroutine receives from the unbuffered channel`
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.items, name)
}

// A buffered channel made the same way: the send waits only when it is full.
type notifier struct {
	events chan lifeEvent
}

func newNotifier() *notifier {
	return &notifier{events: make(chan lifeEvent, 16)}
}

func (n *notifier) announce(name string) {
	n.events <- lifeEvent{name}
}

func (n *notifier) done(name string) {
	defer n.announce(name)
	_ = name
}

// The only loop receiving from finished gives up when its timer fires: a bounded wait for one
// value, not a goroutine that keeps serving the channel.
type syncer struct {
	finished chan string
	served   chan string
}

func newSyncer() *syncer {
	return &syncer{finished: make(chan string), served: make(chan string)}
}

func (s *syncer) waitFor(name string, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case got := <-s.finished:
			if got == name {
				return true
			}
		case <-t.C:
			return false
		}
	}
}

func (s *syncer) syncNamed(name string) {
	defer func() { s.finished <- name }() // want `s.finished <- name .* blocks until another goroutine receives from the unbuffered channel`
	_ = name
}

// served has a goroutine that keeps receiving from it until stop is closed.
func (s *syncer) serve(stop <-chan struct{}) {
	for {
		select {
		case n := <-s.served:
			_ = n
		case <-stop:
			return
		}
	}
}

func (s *syncer) start(stop <-chan struct{}) { go s.serve(stop) }

func (s *syncer) announce(name string) {
	defer func() { s.served <- name }()
	_ = name
}
