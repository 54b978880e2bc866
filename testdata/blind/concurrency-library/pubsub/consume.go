package pubsub

import (
	"context"
	"log"
	"sync"
	"time"
)

// Handler processes one message.
type Handler func(ctx context.Context, m Message) error

// Consume runs h for every message of s, giving each call its own deadline.
func (s *Subscription) Consume(h Handler, perMessage time.Duration) {
	for m := range s.ch {
		ctx, cancel := context.WithTimeout(context.Background(), perMessage)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := h(ctx, m); err != nil {
			log.Printf("pubsub: %s: handler: %v", s.topic, err)
		}
	}
}

// ConsumeContext is Consume that stops when ctx ends; each message's deadline
// is released as soon as its handler returns.
func (s *Subscription) ConsumeContext(ctx context.Context, h Handler, perMessage time.Duration) error {
	for {
		select {
		case m, ok := <-s.ch:
			if !ok {
				return nil
			}
			func() {
				mctx, cancel := context.WithTimeout(ctx, perMessage)
				defer cancel() // ok: scoped to the literal
				if err := handleSafe(mctx, h, m); err != nil {
					log.Printf("pubsub: %s: handler: %v", s.topic, err)
				}
			}()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// handleSafe keeps one misbehaving handler from killing the consumer loop.
func handleSafe(ctx context.Context, h Handler, m Message) error {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return h(ctx, m)
}

// ConsumeN runs n consumers of s concurrently and waits for them to finish.
func (s *Subscription) ConsumeN(ctx context.Context, n int, h Handler, perMessage time.Duration) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.ConsumeContext(ctx, h, perMessage); err != nil {
				log.Printf("pubsub: consumer %d: %v", i, err) // ok: per-iteration i (go1.22)
			}
		}()
	}
	wg.Wait()
}

func pump(ctx context.Context, in <-chan Message, out chan<- Message) {
	for m := range in {
		select {
		case out <- m:
		case <-ctx.Done():
			return
		}
	}
}

// Forward copies the messages of several subscriptions onto out until ctx
// ends, then closes out.
func Forward(ctx context.Context, out chan<- Message, subs ...*Subscription) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, s := range subs {
		go pump(ctx, s.C(), out)
	}
	<-ctx.Done()
}

// ForwardWait is Forward that waits for every pump before closing out.
func ForwardWait(ctx context.Context, out chan<- Message, subs ...*Subscription) {
	var wg sync.WaitGroup
	defer close(out) // ok: runs after wg.Wait
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pump(ctx, s.C(), out)
		}()
	}
	wg.Wait()
}
