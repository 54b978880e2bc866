// Package usage batches per-request usage events and ships them to the
// billing collectors in the background.
package usage

import (
	"context"
	"time"
)

// Event is one proxied request, as billed.
type Event struct {
	Tenant string        `json:"tenant"`
	Route  string        `json:"route"`
	Status int           `json:"status"`
	Bytes  int64         `json:"bytes"`
	At     time.Time     `json:"at"`
	Took   time.Duration `json:"took"`
}

// Batch is the unit shipped to a sink.
type Batch struct {
	Seq    uint64  `json:"seq"`
	Events []Event `json:"events"`
}

// Stream returns a channel producing the events of b; it is closed after the
// last event or when ctx is done.
func (b Batch) Stream(ctx context.Context) <-chan Event {
	out := make(chan Event)
	go func() {
		defer close(out)
		for _, ev := range b.Events {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ByTenant splits the batch per tenant.
func (b Batch) ByTenant() map[string][]Event {
	out := make(map[string][]Event)
	for _, ev := range b.Events {
		out[ev.Tenant] = append(out[ev.Tenant], ev)
	}
	return out
}
