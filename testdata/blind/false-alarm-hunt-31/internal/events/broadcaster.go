// Package events records object events and fans them out to sinks on a
// single background goroutine.
package events

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Event is a recorded occurrence concerning an object.
type Event struct {
	Key     string
	Type    string // "Normal" or "Warning"
	Reason  string
	Message string
	Source  string
	Time    time.Time
}

// Sink receives events.
type Sink interface {
	Record(ev Event) error
}

// Broadcaster decouples event producers from (possibly slow) sinks.
type Broadcaster struct {
	incoming chan Event
	mu       sync.Mutex
	sinks    []Sink
	wg       sync.WaitGroup
	dropped  atomic.Int64
}

// NewBroadcaster returns a broadcaster with a buffer of size buf.
func NewBroadcaster(buf int) *Broadcaster {
	return &Broadcaster{incoming: make(chan Event, buf)}
}

// AddSink registers s for all future events.
func (b *Broadcaster) AddSink(s Sink) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sinks = append(b.sinks, s)
}

// Start runs the delivery loop until ctx is cancelled; Wait joins it.
func (b *Broadcaster) Start(ctx context.Context) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.loop(ctx)
	}()
}

// Wait blocks until the delivery loop has exited.
func (b *Broadcaster) Wait() { b.wg.Wait() }

func (b *Broadcaster) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-b.incoming:
			b.deliver(ev)
		}
	}
}

func (b *Broadcaster) deliver(ev Event) {
	b.mu.Lock()
	sinks := append([]Sink(nil), b.sinks...)
	b.mu.Unlock()
	for _, s := range sinks {
		b.recordSafely(s, ev)
	}
}

// recordSafely keeps one misbehaving sink from killing the delivery loop;
// the panic is logged and counted.
func (b *Broadcaster) recordSafely(s Sink, ev Event) {
	defer func() {
		if r := recover(); r != nil {
			b.dropped.Add(1)
			log.Printf("events: sink %T panicked on %s/%s: %v", s, ev.Key, ev.Reason, r)
		}
	}()
	if err := s.Record(ev); err != nil {
		log.Printf("events: sink %T: %v", s, err)
	}
}

// Emit queues ev without blocking; it reports false if the buffer is full.
func (b *Broadcaster) Emit(ev Event) bool {
	select {
	case b.incoming <- ev:
		return true
	default:
		b.dropped.Add(1)
		return false
	}
}

// Dropped returns how many events were lost.
func (b *Broadcaster) Dropped() int64 { return b.dropped.Load() }
