package pipeline

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"
)

// Deliverer pushes items to one sink, giving each delivery its own
// deadline.
type Deliverer struct {
	sink      Sink
	timeout   time.Duration
	log       *log.Logger
	delivered atomic.Int64
	failed    atomic.Int64
}

// NewDeliverer returns a deliverer to sink with a per-item timeout.
func NewDeliverer(sink Sink, timeout time.Duration, lg *log.Logger) *Deliverer {
	return &Deliverer{sink: sink, timeout: timeout, log: lg}
}

// Run delivers everything that arrives on in. in is the daemon's change
// subscription; Run is started once at boot and lives as long as it.
func (d *Deliverer) Run(ctx context.Context, in <-chan Item) {
	for it := range in {
		dctx, cancel := context.WithTimeout(ctx, d.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := d.sink.Deliver(dctx, it); err != nil {
			d.failed.Add(1)
			d.log.Printf("deliver %s to %s: %v", it.Key, d.sink.Name(), err)
			continue
		}
		d.delivered.Add(1)
	}
}

// DeliverAll delivers the items of a finite batch channel and stops at the
// first failure.
func (d *Deliverer) DeliverAll(ctx context.Context, batch <-chan Item) error {
	for it := range batch {
		dctx, cancel := context.WithTimeout(ctx, d.timeout)
		defer cancel() // HAZ defer-in-loop
		if err := d.sink.Deliver(dctx, it); err != nil {
			return fmt.Errorf("deliver %s to %s: %w", it.Key, d.sink.Name(), err)
		}
		d.delivered.Add(1)
	}
	return nil
}

// RunEach is Run with the per-item context scoped by deliverOne.
func (d *Deliverer) RunEach(ctx context.Context, in <-chan Item) {
	for it := range in {
		if err := d.deliverOne(ctx, it); err != nil {
			d.failed.Add(1)
			d.log.Printf("deliver %s to %s: %v", it.Key, d.sink.Name(), err)
			continue
		}
		d.delivered.Add(1)
	}
}

func (d *Deliverer) deliverOne(ctx context.Context, it Item) error {
	dctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.sink.Deliver(dctx, it)
}

// Pump delivers items from in until in is closed or ctx is cancelled.
func (d *Deliverer) Pump(ctx context.Context, in <-chan Item) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it, ok := <-in:
			if !ok {
				return nil
			}
			dctx, cancel := context.WithTimeout(ctx, d.timeout)
			defer cancel() // HAZ defer-in-loop
			if err := d.sink.Deliver(dctx, it); err != nil {
				d.failed.Add(1)
				d.log.Printf("deliver %s: %v", it.Key, err)
				continue
			}
			d.delivered.Add(1)
		}
	}
}

// PumpScoped is Pump with the deadline scoped to a function literal inside
// the select case.
func (d *Deliverer) PumpScoped(ctx context.Context, in <-chan Item) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it, ok := <-in:
			if !ok {
				return nil
			}
			err := func() error {
				dctx, cancel := context.WithTimeout(ctx, d.timeout)
				defer cancel()
				return d.sink.Deliver(dctx, it)
			}()
			if err != nil {
				d.failed.Add(1)
				d.log.Printf("deliver %s: %v", it.Key, err)
				continue
			}
			d.delivered.Add(1)
		}
	}
}

// Serve delivers items until ctx is cancelled.
func (d *Deliverer) Serve(ctx context.Context, in <-chan Item) {
	for {
		select {
		case <-ctx.Done():
			d.log.Printf("deliverer for %s: stopping", d.sink.Name())
			break
		case it := <-in:
			dctx, cancel := context.WithTimeout(ctx, d.timeout)
			defer cancel() // HAZ defer-in-infinite-loop
			if err := d.sink.Deliver(dctx, it); err != nil {
				d.failed.Add(1)
				continue
			}
			d.delivered.Add(1)
		}
	}
}

// ServeUntil is Serve with a labeled break that leaves the loop, and the
// per-item deadline scoped by deliverOne.
func (d *Deliverer) ServeUntil(ctx context.Context, in <-chan Item) {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case it := <-in:
			if err := d.deliverOne(ctx, it); err != nil {
				d.failed.Add(1)
				continue
			}
			d.delivered.Add(1)
		}
	}
	d.log.Printf("deliverer for %s: stopped", d.sink.Name())
}

// Counts returns how many items were delivered and how many failed.
func (d *Deliverer) Counts() (delivered, failed int64) {
	return d.delivered.Load(), d.failed.Load()
}
