package pubsub

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// PanicError is returned in place of a handler panic.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("pubsub: handler panic: %v", e.Value) }

// recoverTo converts a panic into a *PanicError stored in *errp. It calls
// recover itself, so it must be deferred directly: defer recoverTo(&err).
func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// SafeCall runs h and returns a panic as a *PanicError.
func SafeCall(ctx context.Context, h Handler, m Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return h(ctx, m)
}

// Invoke is SafeCall written with the shared helper.
func Invoke(ctx context.Context, h Handler, m Message) (err error) {
	defer recoverTo(&err)
	return h(ctx, m)
}

// MustDeliver runs h and, if it panics, logs which topic it was handling
// before re-raising the panic: the caller's state is unknown afterwards.
func MustDeliver(ctx context.Context, h Handler, m Message) error {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("pubsub: handler panic on %q: %v", m.Topic, r)
			panic(r)
		}
	}()
	return h(ctx, m)
}

// Pump reads s until it is closed and hands each message to h; onErr sees
// every failure.
func Pump(ctx context.Context, s *Subscription, h Handler, onErr func(Message, error)) {
	for m := range s.C() {
		if err := deliverOne(ctx, h, m); err != nil {
			onErr(m, err)
		}
	}
}

// deliverOne isolates the pump from a misbehaving handler.
func deliverOne(ctx context.Context, h Handler, m Message) error {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return h(ctx, m)
}

// RunAll runs each handler on m in its own goroutine and waits for them. A
// panic in a handler goroutine, or while starting them, becomes an error:
// every goroutine defers its own recover.
func RunAll(ctx context.Context, m Message, hs []Handler) (err error) {
	defer recoverTo(&err)
	errs := make([]error, len(hs))
	var wg sync.WaitGroup
	for i, h := range hs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverTo(&errs[i])
			errs[i] = h(ctx, m)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Supervise subscribes handler to every topic and runs one delivery loop per
// topic. A panic during set-up is returned as an error.
func (hb *Hub) Supervise(ctx context.Context, topics []string, handler Handler, onErr func(Message, error)) (err error) {
	defer recoverTo(&err) // HAZ goroutine-outside-recover
	for _, t := range topics {
		s, err := hb.Subscribe(t, 64)
		if err != nil {
			return err
		}
		go func() {
			for m := range s.C() {
				if herr := handler(ctx, m); herr != nil {
					onErr(m, herr)
				}
			}
		}()
	}
	return nil
}
