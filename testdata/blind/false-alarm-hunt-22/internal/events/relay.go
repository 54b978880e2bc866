package events

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Sink receives relayed events (a webhook, a queue, ...).
type Sink interface {
	Deliver(ctx context.Context, ev Event) error
}

// RelayConfig configures a Relay.
type RelayConfig struct {
	Broker  *Broker
	Sink    Sink
	Workers int
	Timeout time.Duration
	// Hooks observe every delivered event; they must be cheap.
	Hooks []func(Event)
	// Filters drop events for which any of them returns false.
	Filters []func(Event) bool
	// OnStop, if set, runs when RunTopics returns.
	OnStop func()
	Log    *log.Logger
}

// Relay forwards broker events to a Sink.
type Relay struct {
	cfg      RelayConfig
	failures atomic.Int64
	panics   atomic.Int64
}

// NewRelay validates cfg and returns a Relay.
func NewRelay(cfg RelayConfig) (*Relay, error) {
	if cfg.Broker == nil || cfg.Sink == nil {
		return nil, fmt.Errorf("events: relay needs a broker and a sink")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = log.Default()
	}
	return &Relay{cfg: cfg}, nil
}

// Run relays topic with the configured number of workers until ctx is done.
func (r *Relay) Run(ctx context.Context, topic string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panics.Add(1)
			err = fmt.Errorf("events: relay %s: panic: %v", topic, p)
		}
	}()
	sub := r.cfg.Broker.Subscribe(topic, 64*r.cfg.Workers)
	context.AfterFunc(ctx, func() { r.cfg.Broker.Unsubscribe(sub) })

	var wg sync.WaitGroup
	for i := 0; i < r.cfg.Workers; i++ {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			for ev := range sub.C {
				r.deliver(ctx, ev)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// RunTopics relays several topics, one goroutine per topic, until ctx is
// done. A panicking delivery stops only its own topic.
func (r *Relay) RunTopics(ctx context.Context, topics []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panics.Add(1)
			err = fmt.Errorf("events: relay: panic: %v", p)
		}
	}()
	if r.cfg.OnStop != nil {
		defer r.cfg.OnStop()
	}
	var wg sync.WaitGroup
	for _, topic := range topics {
		sub := r.cfg.Broker.Subscribe(topic, 64)
		context.AfterFunc(ctx, func() { r.cfg.Broker.Unsubscribe(sub) })
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.recoverWorker(topic)
			for ev := range sub.C {
				r.deliver(ctx, ev)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// recoverWorker is deferred directly by delivery goroutines.
func (r *Relay) recoverWorker(topic string) {
	if p := recover(); p != nil {
		r.panics.Add(1)
		r.cfg.Log.Printf("events: relay worker for %s panicked: %v\n%s", topic, p, debug.Stack())
	}
}

func (r *Relay) deliver(ctx context.Context, ev Event) {
	if !r.applyFilters(ev) {
		return
	}
	dctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	if err := r.cfg.Sink.Deliver(dctx, ev); err != nil {
		r.failures.Add(1)
		r.cfg.Log.Printf("events: deliver %s/%s: %v", ev.Topic, ev.ID, err)
		return
	}
	r.notifyHooks(ev)
}

// notifyHooks calls every hook; a broken hook must not stop the relay.
func (r *Relay) notifyHooks(ev Event) {
	for _, h := range r.cfg.Hooks {
		func() {
			defer func() {
				if p := recover(); p != nil { // HAZ recover-swallows-panic
					// keep going: the event was already delivered
				}
			}()
			h(ev)
		}()
	}
}

// applyFilters reports whether ev passes every filter. A panicking filter
// is logged and the event dropped.
func (r *Relay) applyFilters(ev Event) (keep bool) {
	defer func() {
		if p := recover(); p != nil {
			r.panics.Add(1)
			r.cfg.Log.Printf("events: filter panicked on %s/%s: %v", ev.Topic, ev.ID, p)
			keep = false
		}
	}()
	for _, f := range r.cfg.Filters {
		if !f(ev) {
			return false
		}
	}
	return true
}

// Counts returns the delivery failure and panic counters.
func (r *Relay) Counts() (failures, panics int64) {
	return r.failures.Load(), r.panics.Load()
}
