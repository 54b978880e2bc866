package pubsub

import (
	"context"
	"fmt"
	"log"
)

// SubscribeFunc calls h for every message matching filter on a dedicated
// goroutine until ctx is done or stop is called. stop waits for the
// goroutine to exit.
func (b *Broker) SubscribeFunc(ctx context.Context, filter string, h func(Message)) (stop func(), err error) {
	s, err := b.Subscribe(filter, 64)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-s.ch:
				if !ok {
					return
				}
				safeCall(h, m)
			}
		}
	}()
	return func() {
		cancel()
		b.Unsubscribe(s)
		<-done
	}, nil
}

// safeCall runs a subscriber callback; a misbehaving subscriber must not
// take the fan-out goroutine down.
func safeCall(h func(Message), m Message) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	h(m)
}

// callLogged runs a callback and logs, with the topic, any panic it raises.
func callLogged(logger *log.Logger, h func(Message), m Message) {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("pubsub: handler for %s panicked: %v", m.Topic, r)
		}
	}()
	h(m)
}

// Forward calls h, through callLogged, for every message matching filter
// until ctx is done. Panics in h are logged, so the loop only ends through
// ctx or a closed broker.
func (b *Broker) Forward(ctx context.Context, logger *log.Logger, filter string, h func(Message)) error {
	s, err := b.Subscribe(filter, 64)
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			b.Unsubscribe(s)
			return ctx.Err()
		case m, ok := <-s.ch:
			if !ok {
				return ErrClosed
			}
			callLogged(logger, h, m)
		}
	}
}

// Bridge republishes the messages matching filter on dst, with topics
// rewritten by rewrite, until ctx is done. A panic in rewrite is turned
// into an error.
func (b *Broker) Bridge(ctx context.Context, dst *Broker, filter string, rewrite func(string) string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pubsub: bridge %q: %v", filter, r)
		}
	}()
	s, err := b.Subscribe(filter, 256)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { // HAZ goroutine-outside-recover
		defer close(done)
		for m := range s.ch {
			m.Topic = rewrite(m.Topic)
			dst.Publish(m)
		}
	}()
	<-ctx.Done()
	b.Unsubscribe(s)
	<-done
	return ctx.Err()
}
