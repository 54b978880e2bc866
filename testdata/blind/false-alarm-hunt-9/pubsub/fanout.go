package pubsub

import (
	"context"
	"fmt"
	"sync"
)

// Merge forwards the messages of all subs to one channel, which is closed
// once every forwarder has stopped.
func Merge(ctx context.Context, subs ...*Subscription) <-chan Message {
	out := make(chan Message)
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range s.Messages(ctx) {
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// First returns the first message that arrives on any of subs.
func First(ctx context.Context, subs ...*Subscription) (Message, error) {
	found := make(chan Message, len(subs))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, s := range subs {
		go func() {
			select {
			case m, ok := <-s.ch:
				if ok {
					found <- m
				}
			case <-ctx.Done():
			}
		}()
	}
	select {
	case m := <-found:
		return m, nil
	case <-ctx.Done():
		return Message{}, ctx.Err()
	}
}

// Any is First done right: the channel has room for every watcher, it is
// never closed, and the watchers stop when Any returns.
func Any(ctx context.Context, subs ...*Subscription) (Message, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan Message, len(subs))
	for _, s := range subs {
		go func() {
			select {
			case m, ok := <-s.ch:
				if ok {
					found <- m
				}
			case <-ctx.Done():
			}
		}()
	}
	select {
	case m := <-found:
		return m, nil
	case <-ctx.Done():
		return Message{}, ctx.Err()
	}
}

// Pipe republishes the messages of from on to after applying transform.
// The transform is probed once so that a broken transform fails fast.
func Pipe(ctx context.Context, from *Subscription, to *Broker, transform func(Message) Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pubsub: pipe transform panicked: %v", r)
		}
	}()
	_ = transform(Message{Topic: from.topic})
	go func() { // HAZ goroutine-outside-recover
		for m := range from.Messages(ctx) {
			_, _ = to.Publish(transform(m))
		}
	}()
	return nil
}

// PipeSafe is Pipe with a forwarding goroutine that recovers on its own.
func PipeSafe(ctx context.Context, from *Subscription, to *Broker, transform func(Message) Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pubsub: pipe transform panicked: %v", r)
		}
	}()
	_ = transform(Message{Topic: from.topic})
	go func() {
		defer func() {
			if r := recover(); r != nil {
				to.logf("pubsub: pipe from %q stopped: transform panicked: %v", from.topic, r)
			}
		}()
		for m := range from.Messages(ctx) {
			if _, err := to.Publish(transform(m)); err != nil {
				return
			}
		}
	}()
	return nil
}

// Gather reads up to n messages from each of subs concurrently and streams
// them into out. It is the only sender on out and closes it only after every
// reader goroutine has finished.
func Gather(ctx context.Context, out chan<- Message, n int, subs ...*Subscription) {
	defer close(out)
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := 0
			for m := range s.Messages(ctx) {
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
				if got++; got == n {
					return
				}
			}
		}()
	}
	wg.Wait()
}
