// Package sse implements the gateway's server-sent events endpoint: a broker
// fanning published events out to subscribers, with an on-disk store so that
// reconnecting clients can replay from Last-Event-ID.
package sse

import (
	"log"
	"sync"
)

// Event is one server-sent event.
type Event struct {
	ID   int64  `json:"id"`
	Type string `json:"type,omitempty"`
	Data []byte `json:"data"`
}

// Broker fans events out to subscriber channels. Slow subscribers whose
// buffer is full are disconnected rather than allowed to stall publishers.
type Broker struct {
	mu      sync.Mutex
	subs    map[int]chan Event
	onLeave map[int]func()
	nextID  int
	seq     int64
	closed  bool
	buffer  int

	store  *Store
	hook   func(Event)
	logger *log.Logger
}

// NewBroker returns a broker giving each subscriber buffer slots. store may
// be nil to disable replay.
func NewBroker(buffer int, store *Store, logger *log.Logger) *Broker {
	return &Broker{
		subs:    make(map[int]chan Event),
		onLeave: make(map[int]func()),
		buffer:  buffer,
		store:   store,
		logger:  logger,
	}
}

// SetHook installs a function called for every published event.
func (b *Broker) SetHook(fn func(Event)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hook = fn
}

// Subscribe registers a new subscriber.
func (b *Broker) Subscribe() (int, <-chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	ch := make(chan Event, b.buffer)
	if b.closed {
		close(ch)
		return b.nextID, ch
	}
	b.subs[b.nextID] = ch
	return b.nextID, ch
}

// Unsubscribe removes a subscriber and closes its channel.
func (b *Broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		delete(b.subs, id)
		close(ch)
	}
}

// OnLeave registers fn to run when subscriber id leaves through leave.
func (b *Broker) OnLeave(id int, fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onLeave[id] = fn
}

// leave unsubscribes id and runs its leave hook.
func (b *Broker) leave(id int) {
	b.mu.Lock()
	hook := b.onLeave[id]
	delete(b.onLeave, id)
	b.mu.Unlock()
	defer hook() // HAZ defer-nil-func
	b.Unsubscribe(id)
}

// deliverLocked hands ev to every subscriber without blocking. Caller holds mu.
func (b *Broker) deliverLocked(ev Event) {
	for id, ch := range b.subs {
		select {
		case ch <- ev:
		default:
			delete(b.subs, id)
			close(ch)
		}
	}
}

// Publish assigns the next ID to a new event, stores it and delivers it.
func (b *Broker) Publish(typ string, data []byte) Event {
	b.mu.Lock()
	b.seq++
	ev := Event{ID: b.seq, Type: typ, Data: data}
	b.deliverLocked(ev)
	hook := b.hook
	b.mu.Unlock()

	if b.store != nil {
		if err := b.store.Append(ev); err != nil {
			b.logger.Printf("sse: store event %d: %v", ev.ID, err)
		}
	}
	if hook != nil {
		b.runHook(hook, ev)
	}
	return ev
}

// PublishBatch publishes every payload of batch as its own event.
func (b *Broker) PublishBatch(typ string, batch [][]byte) int {
	n := 0
	for _, data := range batch {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.seq++
		b.deliverLocked(Event{ID: b.seq, Type: typ, Data: data})
		n++
	}
	return n
}

// runHook calls the user's hook for one event.
func (b *Broker) runHook(hook func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken hook must not take the broker down
		}
	}()
	hook(ev)
}

// SubscriberCount reports the number of connected subscribers.
func (b *Broker) SubscriberCount() int {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	return len(b.subs)
}

// Close disconnects every subscriber; later subscriptions get a closed channel.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for id, ch := range b.subs {
		delete(b.subs, id)
		close(ch)
	}
}

// Shutdown disconnects every subscriber and closes the event store.
func (b *Broker) Shutdown() {
	if b.store != nil {
		defer func() error { return b.store.Close() }() // HAZ defer-ineffective-return
	}
	b.Close()
}
