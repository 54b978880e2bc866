package eventbus

import (
	"context"
	"sync"

	"example.com/falsealarm7/safe"
)

// Async queues events and delivers them from a fixed set of workers.
type Async struct {
	bus     *Bus
	queue   chan Event
	wg      sync.WaitGroup
	once    sync.Once
	dropped func(Event)
}

// NewAsync starts workers delivering events published to a.
func NewAsync(bus *Bus, workers, depth int, dropped func(Event)) *Async {
	a := &Async{bus: bus, queue: make(chan Event, depth), dropped: dropped}
	for i := 0; i < workers; i++ {
		a.wg.Add(1)
		go a.worker()
	}
	return a
}

func (a *Async) worker() {
	defer a.wg.Done()
	defer safe.LogPanic("eventbus.worker")
	for ev := range a.queue {
		_ = a.bus.Publish(context.Background(), ev.Topic, ev.Payload)
	}
}

// TryPublish queues an event without blocking; when the queue is full the
// event goes to the dropped hook.
func (a *Async) TryPublish(topic string, payload any) bool {
	ev := Event{Topic: topic, Payload: payload}
	select {
	case a.queue <- ev:
		return true
	default:
		if a.dropped != nil {
			a.dropped(ev)
		}
		return false
	}
}

// Publish queues an event, waiting for room until ctx ends.
func (a *Async) Publish(ctx context.Context, topic string, payload any) error {
	select {
	case a.queue <- Event{Topic: topic, Payload: payload}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting events and waits until the queue is drained.
func (a *Async) Close() {
	a.once.Do(func() { close(a.queue) })
	a.wg.Wait()
}

// Stream returns a channel that receives every event published on the given
// topics until ctx ends.
func (b *Bus) Stream(ctx context.Context, topics ...string) (<-chan Event, error) {
	out := make(chan Event, 16)
	var unsubs []func()
	for _, t := range topics {
		u, err := b.Subscribe(t, func(pctx context.Context, ev Event) error {
			select {
			case out <- ev:
			case <-pctx.Done():
			case <-ctx.Done():
			}
			return nil
		})
		if err != nil {
			for _, u := range unsubs {
				u()
			}
			return nil, err
		}
		unsubs = append(unsubs, u)
	}
	go func() {
		<-ctx.Done()
		for _, u := range unsubs {
			u()
		}
	}()
	return out, nil
}

// Merge fans several event channels into one. The output is closed only
// after every forwarder has finished.
func Merge(ctx context.Context, ins ...<-chan Event) <-chan Event {
	out := make(chan Event)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range in {
				select {
				case out <- ev:
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

// Tee copies events from in to n outputs until in is closed or ctx ends.
// The single forwarding goroutine is the only sender, so it closes the
// outputs itself.
func Tee(ctx context.Context, in <-chan Event, n, depth int) []<-chan Event {
	outs := make([]chan Event, n)
	ro := make([]<-chan Event, n)
	for i := range outs {
		outs[i] = make(chan Event, depth)
		ro[i] = outs[i]
	}
	go func() {
		defer func() {
			for _, o := range outs {
				close(o)
			}
		}()
		for ev := range in {
			for _, o := range outs {
				select {
				case o <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return ro
}

// Replay publishes a recorded sequence of events and returns a channel of
// their delivery errors. The channel is closed when every delivery is done.
func (b *Bus) Replay(ctx context.Context, events []Event) <-chan error {
	errc := make(chan error, len(events))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, ev := range events {
		go func() {
			if err := b.Publish(ctx, ev.Topic, ev.Payload); err != nil {
				errc <- err
			}
		}()
	}
	return errc
}

// ReplaySync is Replay with the deliveries joined before the channel is
// closed: every sender has finished when close runs.
func (b *Bus) ReplaySync(ctx context.Context, events []Event) <-chan error {
	errc := make(chan error, len(events))
	defer close(errc)
	var wg sync.WaitGroup
	for _, ev := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.Publish(ctx, ev.Topic, ev.Payload); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	return errc
}

// Collect drains up to max events from ch or until ctx ends.
func Collect(ctx context.Context, ch <-chan Event, max int) []Event {
	var out []Event
	for len(out) < max {
		select {
		case ev, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, ev)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
