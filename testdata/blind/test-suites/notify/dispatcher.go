package notify

import (
	"context"
	"io"
	"log"
	"sync"
	"time"
)

// Dispatcher queues events and delivers them in the background, keeping the
// ones that failed as dead letters.
type Dispatcher struct {
	n       *Notifier
	events  chan Event
	timeout time.Duration
	log     *log.Logger

	mu        sync.Mutex
	dead      []Event
	delivered int
}

// NewDispatcher returns a dispatcher with a queue of buf events.
func NewDispatcher(n *Notifier, buf int, l *log.Logger) *Dispatcher {
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	return &Dispatcher{n: n, events: make(chan Event, buf), timeout: 10 * time.Second, log: l}
}

// Enqueue adds ev to the queue, waiting for space until ctx is done.
func (d *Dispatcher) Enqueue(ctx context.Context, ev Event) error {
	select {
	case d.events <- ev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryEnqueue adds ev only if the queue has space.
func (d *Dispatcher) TryEnqueue(ev Event) bool {
	select {
	case d.events <- ev:
		return true
	default:
		return false
	}
}

// Run delivers queued events until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-d.events:
			d.deliver(ctx, ev)
		}
	}
}

func (d *Dispatcher) deliver(ctx context.Context, ev Event) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	d.record(ev, d.n.Send(ctx, ev))
}

func (d *Dispatcher) record(ev Event, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.log.Printf("deliver %s/%s: %v", ev.Type, ev.OrderID, err)
		d.dead = append(d.dead, ev)
		return
	}
	d.delivered++
}

// DeadLetters returns the events whose delivery failed.
func (d *Dispatcher) DeadLetters() []Event {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Event(nil), d.dead...)
}

// Delivered returns the number of successful deliveries.
func (d *Dispatcher) Delivered() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.delivered
}

// Redeliver retries every dead letter once and returns how many succeeded.
func (d *Dispatcher) Redeliver(ctx context.Context) int {
	d.mu.Lock()
	dead := d.dead
	d.dead = nil
	before := d.delivered
	d.mu.Unlock()
	for _, ev := range dead {
		d.deliver(ctx, ev)
	}
	return d.Delivered() - before
}

// Mirror is the legacy delivery loop used by `workerd -legacy`: it runs
// for the life of the process.
func (d *Dispatcher) Mirror() {
	for {
		ev := <-d.events
		ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		d.record(ev, d.n.Send(ctx, ev))
	}
}

// DispatchStats is a snapshot of the dispatcher state.
type DispatchStats struct {
	Queued    int
	Dead      int
	Delivered int
}

func (d *Dispatcher) snapshot() DispatchStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return DispatchStats{Queued: len(d.events), Dead: len(d.dead), Delivered: d.delivered}
}

// Log writes the snapshot to l.
func (s DispatchStats) Log(l *log.Logger) {
	l.Printf("queued=%d dead=%d delivered=%d", s.Queued, s.Dead, s.Delivered)
}

// Drain delivers whatever is queued right now, logs the dispatcher state and
// returns the number of events it handled.
func (d *Dispatcher) Drain(ctx context.Context) int {
	defer d.snapshot().Log(d.log) // HAZ defer-call-chain
	n := 0
	for {
		select {
		case ev := <-d.events:
			d.deliver(ctx, ev)
			n++
		default:
			return n
		}
	}
}
