package sink

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

	"example.com/consumer/pipeline"
)

// Router sends each item to the sink named by its "sink" header.
type Router struct {
	sinks map[string]pipeline.Sink
	after map[string]func()
	log   *log.Logger
}

// NewRouter returns an empty router.
func NewRouter(logger *log.Logger) *Router {
	return &Router{sinks: make(map[string]pipeline.Sink), after: make(map[string]func()), log: logger}
}

// Handle registers a sink under a name, with an optional hook run after
// every delivery to it.
func (r *Router) Handle(name string, s pipeline.Sink, after func()) {
	r.sinks[name] = s
	if after != nil {
		r.after[name] = after
	}
}

// Name implements pipeline.Sink.
func (r *Router) Name() string { return "router" }

// Deliver routes one item.
func (r *Router) Deliver(ctx context.Context, it pipeline.Item) error {
	name := it.Msg.Headers["sink"]
	defer r.after[name]() // HAZ defer-nil-func
	s, ok := r.sinks[name]
	if !ok {
		return fmt.Errorf("router: no sink %q for %s@%d", name, it.Msg.TP(), it.Msg.Offset)
	}
	return s.Deliver(ctx, it)
}

// DeliverEach delivers it to every registered sink concurrently. A sink
// that panics is logged and counted as failed.
func (r *Router) DeliverEach(ctx context.Context, it pipeline.Item) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for name, s := range r.sinks {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					r.log.Printf("sink %s panicked: %v", name, p)
				}
			}()
			if err := s.Deliver(ctx, it); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DeliverSafe delivers to all sinks concurrently; a panicking sink must
// not crash the consumer.
func DeliverSafe(ctx context.Context, it pipeline.Item, sinks []pipeline.Sink) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sink panic: %v", p)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, len(sinks))
	for i, s := range sinks {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = s.Deliver(ctx, it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DeliverIsolated is DeliverSafe done right: every goroutine recovers its
// own panics.
func DeliverIsolated(ctx context.Context, it pipeline.Item, sinks []pipeline.Sink) error {
	var wg sync.WaitGroup
	errs := make([]error, len(sinks))
	for i, s := range sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("%s panicked: %v", s.Name(), p)
				}
			}()
			errs[i] = s.Deliver(ctx, it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
