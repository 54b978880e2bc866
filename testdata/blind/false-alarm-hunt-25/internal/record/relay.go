package record

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah25/api"
)

// Relay copies broadcaster events to a sink, retrying failed writes with backoff.
type Relay struct {
	b       *Broadcaster
	sink    Sink
	retries int
	backoff time.Duration
	wg      sync.WaitGroup
	failed  atomic.Int64
}

// NewRelay returns a relay; Start connects it.
func NewRelay(b *Broadcaster, sink Sink, retries int) *Relay {
	return &Relay{b: b, sink: sink, retries: retries, backoff: 100 * time.Millisecond}
}

// Start watches the broadcaster and relays until ctx ends or the broadcaster shuts down.
func (rl *Relay) Start(ctx context.Context) {
	events, stop := rl.b.Watch(64)
	rl.wg.Add(1)
	go func() {
		defer func() {
			logPanics("relay")
			rl.wg.Done()
		}()
		rl.pump(ctx, events)
		stop()
	}()
}

// logPanics reports a panic of a relay goroutine.
func logPanics(component string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("record: %s panicked: %v", component, r)
	}
}

func (rl *Relay) pump(ctx context.Context, events <-chan api.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if err := rl.deliver(ctx, ev); err != nil {
				rl.failed.Add(1)
				log.Printf("record: %v", err)
			}
		}
	}
}

func (rl *Relay) deliver(ctx context.Context, ev api.Event) error {
	var err error
	for attempt := 0; attempt <= rl.retries; attempt++ {
		if err = rl.sink.Write(ev); err == nil {
			return nil
		}
		t := time.NewTimer(rl.backoff << attempt)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return fmt.Errorf("relay gave up on %s after %d attempts: %w", ev.Object, rl.retries+1, err)
}

// Wait blocks until the relay goroutine has stopped.
func (rl *Relay) Wait() { rl.wg.Wait() }

// Failed returns how many events could not be delivered.
func (rl *Relay) Failed() int64 { return rl.failed.Load() }
