// Package events carries domain events from request handlers to the
// dispatcher that forwards them to the message bus.
package events

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Event is one domain event.
type Event struct {
	Kind    string
	OrderID string
	At      time.Time
}

// Sink receives domain events.
type Sink interface {
	Emit(ev Event)
}

// chanSink hands events to the dispatcher goroutine one at a time.
type chanSink struct {
	ch chan Event
}

// NewSink returns a sink and the channel the dispatcher reads it from.
func NewSink() (Sink, <-chan Event) {
	ch := make(chan Event)
	return &chanSink{ch: ch}, ch
}

func (s *chanSink) Emit(ev Event) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	s.ch <- ev
}

// Dispatch delivers events until ctx is done.
func Dispatch(ctx context.Context, in <-chan Event, deliver func(Event) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-in:
			if err := deliver(ev); err != nil {
				log.Printf("events: deliver %s for order %s: %v", ev.Kind, ev.OrderID, err)
			}
		}
	}
}

// Counter counts things by kind.
type Counter interface {
	Inc(kind string)
}

// viewCounter is a lock-free Counter.
type viewCounter struct {
	counts sync.Map // kind -> *atomic.Int64
}

// NewCounter returns an empty Counter.
func NewCounter() Counter { return &viewCounter{} }

func (c *viewCounter) Inc(kind string) {
	v, _ := c.counts.LoadOrStore(kind, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}
