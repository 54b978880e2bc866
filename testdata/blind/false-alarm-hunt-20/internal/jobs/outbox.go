package jobs

import (
	"context"
	"log"
	"sync/atomic"
	"time"
)

// Event is a domain event waiting to be published.
type Event struct {
	ID      string
	Topic   string
	Payload []byte
}

// Publisher delivers events to the message broker.
type Publisher interface {
	Publish(ctx context.Context, ev Event) error
}

// Outbox relays events from the API to the broker.
type Outbox struct {
	pub     Publisher
	timeout time.Duration
	logger  *log.Logger
	acked   atomic.Int64
	dropped atomic.Int64
}

// NewOutbox returns a relay publishing through pub with a per-event timeout.
func NewOutbox(pub Publisher, timeout time.Duration, logger *log.Logger) *Outbox {
	return &Outbox{pub: pub, timeout: timeout, logger: logger}
}

// Relay publishes events as they arrive, for the life of the process.
func (o *Outbox) Relay(ctx context.Context, events <-chan Event) {
	for ev := range events {
		pctx, cancel := context.WithTimeout(ctx, o.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := o.pub.Publish(pctx, ev); err != nil {
			o.dropped.Add(1)
			o.logger.Printf("outbox: %s %s: %v", ev.Topic, ev.ID, err)
			continue
		}
		o.acked.Add(1)
	}
}

// RelayUntil publishes events until ctx is done or events is closed; each
// event's timeout is released as soon as that event is handled.
func (o *Outbox) RelayUntil(ctx context.Context, events <-chan Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			func() {
				pctx, cancel := context.WithTimeout(ctx, o.timeout)
				defer cancel()
				if err := o.pub.Publish(pctx, ev); err != nil {
					o.dropped.Add(1)
					o.logger.Printf("outbox: %s %s: %v", ev.Topic, ev.ID, err)
					return
				}
				o.acked.Add(1)
			}()
		}
	}
}

// Counts reports acknowledged and dropped events.
func (o *Outbox) Counts() (acked, dropped int64) {
	return o.acked.Load(), o.dropped.Load()
}
