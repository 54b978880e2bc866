package group

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"

	"example.com/fah29/internal/safe"
)

// Bus delivers events to subscribers.
type Bus[T any] struct {
	mu      sync.RWMutex
	subs    []func(T)
	onPanic func(any)
}

// NewBus returns a bus that reports subscriber panics from asynchronous
// deliveries to onPanic.
func NewBus[T any](onPanic func(any)) *Bus[T] {
	return &Bus[T]{onPanic: onPanic}
}

// Subscribe adds fn to the bus.
func (b *Bus[T]) Subscribe(fn func(T)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, fn)
}

func (b *Bus[T]) snapshot() []func(T) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return slices.Clone(b.subs)
}

// Publish delivers ev to every subscriber concurrently and waits for them.
// A panicking subscriber is reported as an error.
func (b *Bus[T]) Publish(ev T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bus: subscriber panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, s := range b.snapshot() {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			s(ev)
		}()
	}
	wg.Wait()
	return nil
}

// PublishAll delivers ev to every subscriber concurrently and returns every
// subscriber panic as an error.
func (b *Bus[T]) PublishAll(ev T) error {
	subs := b.snapshot()
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = safe.Do(func() error {
				s(ev)
				return nil
			})
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// PublishAsync delivers ev to the subscribers accepted by filter without
// waiting. filter is caller code and may panic; so may the subscribers.
func (b *Bus[T]) PublishAsync(ev T, filter func(T) bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bus: filter panicked: %v", r)
		}
	}()
	if filter != nil && !filter(ev) {
		return nil
	}
	for _, s := range b.snapshot() {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					b.panicked(r)
				}
			}()
			s(ev)
		}()
	}
	return nil
}

// PublishSync delivers ev to each subscriber in turn on the caller's
// goroutine. A panicking subscriber does not stop the others.
func (b *Bus[T]) PublishSync(ev T) {
	for _, s := range b.snapshot() {
		b.deliver(s, ev)
	}
}

func (b *Bus[T]) deliver(s func(T), ev T) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// one bad subscriber must not break delivery to the rest
		}
	}()
	s(ev)
}

// deliverReported is deliver for callers that want to hear about panics.
func (b *Bus[T]) deliverReported(s func(T), ev T) {
	defer func() {
		if r := recover(); r != nil {
			b.panicked(r)
		}
	}()
	s(ev)
}

// panicked reports a recovered subscriber panic to onPanic, or to the
// default logger when the bus has no handler.
func (b *Bus[T]) panicked(r any) {
	if b.onPanic != nil {
		b.onPanic(r)
		return
	}
	slog.Error("bus: subscriber panicked", "panic", r, "stack", string(debug.Stack()))
}

// PublishOrdered delivers ev to each subscriber in turn and reports panics
// to the bus's panic handler.
func (b *Bus[T]) PublishOrdered(ev T) {
	for _, s := range b.snapshot() {
		b.deliverReported(s, ev)
	}
}
