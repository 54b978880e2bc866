package pubsub

import (
	"context"
	"errors"
	"sync"
)

// Handler processes one message.
type Handler func(context.Context, Message) error

// Broadcast runs every handler on m concurrently and waits for all of them.
// The result slice is indexed like handlers.
func Broadcast(ctx context.Context, m Message, handlers []Handler) []error {
	errs := make([]error, len(handlers))
	var wg sync.WaitGroup
	wg.Add(len(handlers))
	for i, h := range handlers {
		go func() {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = h(ctx, m)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// Fanout runs the handlers with at most limit of them in flight and joins
// their errors. When ctx ends while waiting for a slot it stops starting new
// handlers but still waits for the running ones before returning.
func Fanout(ctx context.Context, m Message, handlers []Handler, limit int) error {
	if limit <= 0 || limit > len(handlers) {
		limit = len(handlers)
	}
	sem := make(chan struct{}, limit)
	errs := make([]error, len(handlers))
	var wg sync.WaitGroup
	for i, h := range handlers {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h(ctx, m)
			<-sem
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Collect asks every source for a message concurrently and returns those
// that arrived before ctx ended.
func Collect(ctx context.Context, sources []func() Message) []Message {
	ch := make(chan Message, len(sources))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() { ch <- src() }()
	}
	out := make([]Message, 0, len(sources))
	for len(out) < len(sources) {
		select {
		case m := <-ch:
			out = append(out, m)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Merge forwards the messages of all subscriptions to one channel, which is
// closed by a separate goroutine once every forwarder has finished.
func Merge(subs ...*Subscription) <-chan Message {
	out := make(chan Message)
	var wg sync.WaitGroup
	wg.Add(len(subs))
	for _, s := range subs {
		go func() {
			defer wg.Done()
			for m := range s.C() {
				out <- m
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Replay streams the retained message of each topic on a new channel. The
// goroutine is the only sender, so it closes the channel itself, and it
// gives up when ctx ends rather than blocking on a reader that left.
func (h *Hub) Replay(ctx context.Context, topics []string) <-chan Message {
	out := make(chan Message)
	go func() {
		defer close(out)
		for _, t := range topics {
			m, ok := h.Last(t)
			if !ok {
				continue
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// SnapshotAll fetches the retained message of every topic concurrently. The
// channel is closed only after all senders are done.
func (h *Hub) SnapshotAll(topics []string) map[string]Message {
	ch := make(chan Message, len(topics))
	var wg sync.WaitGroup
	for _, t := range topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m, ok := h.Last(t); ok {
				ch <- m
			}
		}()
	}
	wg.Wait()
	close(ch)
	out := make(map[string]Message, len(topics))
	for m := range ch {
		out[m.Topic] = m
	}
	return out
}
