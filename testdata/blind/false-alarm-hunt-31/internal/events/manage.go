package events

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// RemoveSink unregisters s.
func (b *Broadcaster) RemoveSink(s Sink) bool {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	for i, cur := range b.sinks {
		if cur == s {
			b.sinks = append(b.sinks[:i], b.sinks[i+1:]...)
			return true
		}
	}
	return false
}

// ReplaceSinks swaps the sink list.
func (b *Broadcaster) ReplaceSinks(sinks ...Sink) []Sink {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.sinks
	b.sinks = append([]Sink(nil), sinks...)
	return old
}

// Register adds a named sink, refusing nil ones.
func (b *Broadcaster) Register(name string, s Sink) {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if s == nil {
		panic(fmt.Sprintf("events: nil sink %q", name))
	}
	b.sinks = append(b.sinks, s)
	b.mu.Unlock()
}

// MustRegister validates before it locks, so its panic holds no lock.
func (b *Broadcaster) MustRegister(name string, s Sink) {
	if s == nil {
		panic(fmt.Sprintf("events: nil sink %q", name))
	}
	b.mu.Lock()
	b.sinks = append(b.sinks, s)
	b.mu.Unlock()
}

// SinkCount returns the number of sinks.
func (b *Broadcaster) SinkCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.sinks)
}

// deliverParallel records ev into all sinks concurrently, for slow remote
// sinks. It guards itself with a recover for the fan-out bookkeeping.
func (b *Broadcaster) deliverParallel(ev Event) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("events: parallel delivery of %s/%s: %v", ev.Key, ev.Reason, r)
		}
	}()
	b.mu.Lock()
	sinks := append([]Sink(nil), b.sinks...)
	b.mu.Unlock()
	for _, s := range sinks {
		go s.Record(ev) // HAZ goroutine-outside-recover
	}
}

// deliverJoined records into all sinks concurrently; each goroutine uses
// recordSafely, which has its own recover, and all are joined.
func (b *Broadcaster) deliverJoined(ev Event) {
	b.mu.Lock()
	sinks := append([]Sink(nil), b.sinks...)
	b.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.recordSafely(s, ev)
		}()
	}
	wg.Wait()
}

// StartDetached runs the loop without a WaitGroup, for tests and tools.
func (b *Broadcaster) StartDetached(ctx context.Context) {
	go func() {
		defer recover() // HAZ recover-ineffective
		b.loop(ctx)
	}()
}

// StartGuarded runs the loop and logs, instead of crashing on, a panic.
func (b *Broadcaster) StartGuarded(ctx context.Context) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer logRecovered("event loop")
		b.loop(ctx)
	}()
}

// logRecovered is deferred directly by its callers.
func logRecovered(where string) {
	if r := recover(); r != nil {
		log.Printf("events: panic in %s: %v", where, r)
	}
}

// recordWithReason converts a panic into an error, formatting it with a
// nested helper after recover has been called by the deferred function.
func recordWithReason(s Sink, ev Event) (err error) {
	defer func() {
		r := recover()
		describe := func() string { return fmt.Sprintf("sink %T panicked: %v", s, r) }
		if r != nil {
			err = errors.New(describe())
		}
	}()
	return s.Record(ev)
}

// recordNested tries to do the same, but calls recover from a function
// literal nested inside the deferred function.
func recordNested(s Sink, ev Event) (err error) {
	defer func() {
		msg := func() string {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Sprint(r)
			}
			return ""
		}()
		if msg != "" {
			err = fmt.Errorf("sink %T panicked: %s", s, msg)
		}
	}()
	return s.Record(ev)
}
