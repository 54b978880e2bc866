package fanout

import (
	"context"
	"sync"
)

// BroadcastNamed hands ev to every named subscriber concurrently and returns
// the names of those that refused it. The last subscriber visited is kept
// for the log line.
func (b *Broker) BroadcastNamed(subs map[string]Subscriber, ev Event) []string {
	var (
		name string
		sub  Subscriber
		wg   sync.WaitGroup
	)
	refused := make(chan string, len(subs))
	for name, sub = range subs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if !sub.Deliver(ev) {
				refused <- name
			}
		}()
	}
	wg.Wait()
	close(refused)
	var out []string
	for n := range refused {
		out = append(out, n)
	}
	b.log.Printf("broadcast %s/%d: %d subscribers, last %q", ev.Topic, ev.Seq, len(subs), name)
	return out
}

// NotifyAll is BroadcastNamed with per-iteration loop variables.
func (b *Broker) NotifyAll(subs map[string]Subscriber, ev Event) []string {
	var wg sync.WaitGroup
	refused := make(chan string, len(subs))
	for name, sub := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sub.Deliver(ev) {
				refused <- name
			}
		}()
	}
	wg.Wait()
	close(refused)
	var out []string
	for n := range refused {
		out = append(out, n)
	}
	return out
}

// Fill copies the given batches into their topic streams concurrently and
// waits until all are copied or ctx ends.
func (b *Broker) Fill(ctx context.Context, batches map[string][]Event) {
	var g struct{ sync.WaitGroup }
	for topic, batch := range batches {
		out := b.Stream(topic)
		g.Add(1)
		go func() {
			for _, ev := range batch {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
			g.Done() // HAZ waitgroup-done-path
		}()
	}
	g.Wait()
}

// FillAll is Fill with the counter released on every path.
func (b *Broker) FillAll(ctx context.Context, batches map[string][]Event) {
	var g struct{ sync.WaitGroup }
	for topic, batch := range batches {
		out := b.Stream(topic)
		g.Add(1)
		go func() {
			defer g.Done()
			for _, ev := range batch {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	g.Wait()
}

// Relay forwards requests to the primary replica and passes every acked
// event on to out, until ctx ends; out is closed when Relay returns.
func (b *Broker) Relay(ctx context.Context, out chan<- Event) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-b.requests:
			go func() {
				if ack := b.deliver(ctx, b.replicas[0], req.Event); ack.OK {
					out <- req.Event
				}
			}()
		}
	}
}

// RelayJoined is Relay that waits for its in-flight forwards before it
// closes out.
func (b *Broker) RelayJoined(ctx context.Context, out chan<- Event) {
	defer close(out)
	var wg sync.WaitGroup
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case req := <-b.requests:
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ack := b.deliver(ctx, b.replicas[0], req.Event); ack.OK {
					select {
					case out <- req.Event:
					case <-ctx.Done():
					}
				}
			}()
		}
	}
}
