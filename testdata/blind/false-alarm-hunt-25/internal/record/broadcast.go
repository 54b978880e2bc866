package record

import (
	"sync"

	"example.com/fah25/api"
)

// Broadcaster fans events out to watchers; slow watchers miss events rather than block others.
type Broadcaster struct {
	mu       sync.RWMutex
	watchers map[int]chan api.Event
	nextID   int
	incoming chan api.Event
	done     chan struct{}
}

// NewBroadcaster starts the distribution goroutine.
func NewBroadcaster(queueLen int) *Broadcaster {
	b := &Broadcaster{
		watchers: make(map[int]chan api.Event),
		incoming: make(chan api.Event, queueLen),
		done:     make(chan struct{}),
	}
	go b.loop()
	return b
}

// Watch returns a channel of events and the function that stops watching.
func (b *Broadcaster) Watch(buffer int) (<-chan api.Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.nextID
	b.nextID++
	ch := make(chan api.Event, buffer)
	b.watchers[id] = ch
	return ch, func() { b.stopWatching(id) }
}

func (b *Broadcaster) stopWatching(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.watchers[id]; ok {
		close(ch)
		delete(b.watchers, id)
	}
}

// Reset disconnects every watcher, e.g. after the sink configuration changed.
func (b *Broadcaster) Reset() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.watchers)
	for id := range b.watchers {
		b.stopWatching(id) // HAZ lock-reentry-under-defer
	}
	return n
}

// Watchers returns how many watchers are connected.
func (b *Broadcaster) Watchers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.watchers)
}

// Action queues ev for distribution, waiting when the queue is full.
func (b *Broadcaster) Action(ev api.Event) {
	b.incoming <- ev
}

func (b *Broadcaster) loop() {
	defer close(b.done)
	for ev := range b.incoming {
		b.mu.RLock()
		defer b.mu.RUnlock() // HAZ defer-in-loop defer-in-infinite-loop
		for _, w := range b.watchers {
			select {
			case w <- ev:
			default:
			}
		}
	}
}

// Shutdown stops the broadcaster after the queued events were distributed, then closes every watcher.
func (b *Broadcaster) Shutdown() {
	close(b.incoming)
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, ch := range b.watchers {
		close(ch)
		delete(b.watchers, id)
	}
}
