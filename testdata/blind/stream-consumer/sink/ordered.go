package sink

import (
	"context"
	"sync"

	"example.com/consumer/pipeline"
)

// Ordered serialises deliveries per message key, so that the updates of
// one entity reach the next sink in order even with many workers.
type Ordered struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
	next  pipeline.Sink
}

// NewOrdered wraps next.
func NewOrdered(next pipeline.Sink) *Ordered {
	return &Ordered{locks: make(map[string]*sync.Mutex), next: next}
}

// Name implements pipeline.Sink.
func (o *Ordered) Name() string { return "ordered(" + o.next.Name() + ")" }

// lockKey locks the mutex of key and returns the func that unlocks it.
func (o *Ordered) lockKey(key string) func() {
	o.mu.Lock()
	l, ok := o.locks[key]
	if !ok {
		l = &sync.Mutex{}
		o.locks[key] = l
	}
	o.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Deliver forwards it while holding its key's lock.
func (o *Ordered) Deliver(ctx context.Context, it pipeline.Item) error {
	defer o.lockKey(string(it.Msg.Key)) // HAZ defer-func-result-not-called
	return o.next.Deliver(ctx, it)
}

// DeliverBatch forwards items in order, holding each key's lock for the
// duration of its delivery.
func (o *Ordered) DeliverBatch(ctx context.Context, items []pipeline.Item) error {
	for _, it := range items {
		err := func() error {
			defer o.lockKey(string(it.Msg.Key))()
			return o.next.Deliver(ctx, it)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}
