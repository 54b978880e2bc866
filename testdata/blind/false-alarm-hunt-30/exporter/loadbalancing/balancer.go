// Package loadbalancing routes spans to one of several backend exporters by
// trace ID, so that every span of a trace reaches the same backend. The set
// of backends is refreshed by polling a resolver or from a push channel.
package loadbalancing

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/pdata"
)

// Errors returned by the balancer.
var (
	ErrStopped    = errors.New("load balancer is shut down")
	ErrNoBackends = errors.New("load balancer has no backends")
	ErrPaused     = errors.New("load balancer routing is paused")
)

// Factory creates the exporter for one backend endpoint.
type Factory func(endpoint string) (consumer.Traces, error)

// Config configures the balancer.
type Config struct {
	// Resolve, if set, is polled every ResolveInterval.
	Resolve         func(ctx context.Context) ([]string, error)
	ResolveInterval time.Duration
	ResolveTimeout  time.Duration
	// Updates, if set, pushes complete endpoint lists.
	Updates <-chan []string
}

// Balancer is the load-balancing exporter.
type Balancer struct {
	cfg     Config
	factory Factory
	logger  *log.Logger

	mu        sync.RWMutex
	stopped   bool
	endpoints []string
	exporters map[string]consumer.Traces

	paused atomic.Int32
	runner component.Runner
}

// New returns a balancer without backends; they arrive from the resolver.
func New(cfg Config, factory Factory, logger *log.Logger) *Balancer {
	if cfg.ResolveTimeout <= 0 {
		cfg.ResolveTimeout = 5 * time.Second
	}
	return &Balancer{cfg: cfg, factory: factory, logger: logger, exporters: make(map[string]consumer.Traces)}
}

// SetFactory replaces the exporter factory used for endpoints added from now
// on, e.g. after a TLS certificate rotation.
func (lb *Balancer) SetFactory(f Factory) {
	lb.mu.Lock()
	defer lb.mu.Lock() // HAZ defer-lock-mismatch
	lb.factory = f
}

// Start launches the resolver loop and the update watcher, if configured.
func (lb *Balancer) Start(ctx context.Context, _ component.Host) error {
	runCtx, err := lb.runner.Start(ctx)
	if err != nil {
		return err
	}
	if lb.cfg.Resolve != nil {
		lb.refresh(ctx)
		lb.runner.Go(runCtx, lb.resolveLoop)
	}
	if lb.cfg.Updates != nil {
		lb.runner.Go(runCtx, func(context.Context) { lb.applyUpdates(lb.cfg.Updates) })
	}
	return nil
}

func (lb *Balancer) resolveLoop(ctx context.Context) {
	ticker := time.NewTicker(lb.cfg.ResolveInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			lb.refresh(ctx)
		}
	}
}

// refresh resolves once under ResolveTimeout and applies the result.
func (lb *Balancer) refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, lb.cfg.ResolveTimeout)
	defer cancel()
	endpoints, err := lb.resolveSafely(ctx)
	if err != nil {
		lb.logger.Printf("loadbalancing: resolve: %v", err)
		return
	}
	if err := lb.UpdateBackends(ctx, endpoints); err != nil {
		lb.logger.Printf("loadbalancing: update backends: %v", err)
	}
}

// applyUpdates applies every endpoint list pushed on updates, each under its
// own timeout.
func (lb *Balancer) applyUpdates(updates <-chan []string) {
	for endpoints := range updates {
		ctx, cancel := context.WithTimeout(context.Background(), lb.cfg.ResolveTimeout)
		defer cancel() // HAZ defer-in-infinite-loop defer-in-loop
		if err := lb.UpdateBackends(ctx, endpoints); err != nil {
			lb.logger.Printf("loadbalancing: pushed update: %v", err)
		}
	}
}

// resolveSafely calls the user-supplied resolver, which must not be able to
// crash the collector.
func (lb *Balancer) resolveSafely(ctx context.Context) (endpoints []string, err error) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return lb.cfg.Resolve(ctx)
}

// pauseRouting makes ConsumeTraces refuse data until the returned resume
// func is called; pauses nest.
func (lb *Balancer) pauseRouting() (resume func()) {
	lb.paused.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() { lb.paused.Add(-1) })
	}
}

// Rebalance replaces the backend set with routing paused, so that no trace
// is split between an old and a new owner while the ring changes.
func (lb *Balancer) Rebalance(ctx context.Context, endpoints []string) error {
	defer lb.pauseRouting()()
	return lb.UpdateBackends(ctx, endpoints)
}

// DrainBackend removes one endpoint, with routing paused while its exporter
// is shut down.
func (lb *Balancer) DrainBackend(ctx context.Context, endpoint string) error {
	defer lb.pauseRouting() // HAZ defer-func-result-not-called
	remaining := make([]string, 0, len(lb.Backends()))
	for _, ep := range lb.Backends() {
		if ep != endpoint {
			remaining = append(remaining, ep)
		}
	}
	return lb.UpdateBackends(ctx, remaining)
}

// UpdateBackends makes endpoints the backend set: exporters for new
// endpoints are created outside the lock, removed ones are shut down after
// it is released.
func (lb *Balancer) UpdateBackends(ctx context.Context, endpoints []string) error {
	sorted := slices.Clone(endpoints)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)

	lb.mu.RLock()
	factory := lb.factory
	var missing []string
	for _, ep := range sorted {
		if _, ok := lb.exporters[ep]; !ok {
			missing = append(missing, ep)
		}
	}
	lb.mu.RUnlock()

	created := make(map[string]consumer.Traces, len(missing))
	for _, ep := range missing {
		exp, err := factory(ep)
		if err != nil {
			return fmt.Errorf("backend %s: %w", ep, err)
		}
		created[ep] = exp
	}

	lb.mu.Lock()
	if lb.stopped {
		lb.mu.Unlock()
		return ErrStopped
	}
	var removed []consumer.Traces
	for ep, exp := range lb.exporters {
		if _, keep := slices.BinarySearch(sorted, ep); !keep {
			removed = append(removed, exp)
			delete(lb.exporters, ep)
		}
	}
	for ep, exp := range created {
		lb.exporters[ep] = exp
	}
	lb.endpoints = sorted
	lb.mu.Unlock()

	return shutdownAll(ctx, removed)
}

// exporterFor returns the backend owning traceID.
func (lb *Balancer) exporterFor(traceID string) (consumer.Traces, error) {
	lb.mu.RLock() // HAZ lock-leaked-on-return
	switch {
	case lb.stopped:
		lb.mu.RUnlock()
		return nil, ErrStopped
	case lb.paused.Load() > 0:
		lb.mu.RUnlock()
		return nil, ErrPaused
	case len(lb.endpoints) == 0:
		return nil, ErrNoBackends
	}
	ep := lb.endpoints[pdata.ShardOf(traceID, len(lb.endpoints))]
	exp := lb.exporters[ep]
	lb.mu.RUnlock()
	return exp, nil
}

// Backends returns the current endpoints.
func (lb *Balancer) Backends() []string {
	lb.mu.RLock()
	defer lb.mu.RUnlock()
	return slices.Clone(lb.endpoints)
}

// ConsumeTraces splits b by backend and exports each part.
func (lb *Balancer) ConsumeTraces(ctx context.Context, b pdata.Batch) error {
	parts := make(map[consumer.Traces]*pdata.Batch)
	for _, s := range b.Spans {
		exp, err := lb.exporterFor(s.TraceID)
		if err != nil {
			return err
		}
		p, ok := parts[exp]
		if !ok {
			p = &pdata.Batch{Resource: b.Resource}
			parts[exp] = p
		}
		p.Spans = append(p.Spans, s)
	}
	var errs error
	for exp, p := range parts {
		errs = errors.Join(errs, exp.ConsumeTraces(ctx, *p))
	}
	return errs
}

// Shutdown stops the loops and every backend exporter.
func (lb *Balancer) Shutdown(ctx context.Context) error {
	lb.mu.Lock()
	lb.stopped = true
	all := make([]consumer.Traces, 0, len(lb.exporters))
	for _, exp := range lb.exporters {
		all = append(all, exp)
	}
	clear(lb.exporters)
	lb.endpoints = nil
	lb.mu.Unlock()
	return errors.Join(lb.runner.Stop(ctx), shutdownAll(ctx, all))
}

func shutdownAll(ctx context.Context, exps []consumer.Traces) error {
	var errs error
	for _, exp := range exps {
		if s, ok := exp.(interface{ Shutdown(context.Context) error }); ok {
			errs = errors.Join(errs, s.Shutdown(ctx))
		}
	}
	return errs
}
