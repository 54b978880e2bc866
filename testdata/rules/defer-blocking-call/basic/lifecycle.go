package fixture

import "sync"

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
