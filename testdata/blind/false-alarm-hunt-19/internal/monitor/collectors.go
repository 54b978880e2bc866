//go:build go1.21

// This file was split out when the collectors moved to log/slog, while the
// module still supported toolchains older than go1.21.

package monitor

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Collector samples some part of the process into the registry.
type Collector interface {
	Name() string
	Collect(ctx context.Context, reg *Registry) error
}

// CollectorSet runs collectors periodically, one goroutine each.
type CollectorSet struct {
	reg        *Registry
	collectors []Collector
	interval   time.Duration
	logger     *slog.Logger
	wg         sync.WaitGroup
}

// NewCollectorSet returns a set that collects into reg every interval.
func NewCollectorSet(reg *Registry, interval time.Duration, logger *slog.Logger, cs ...Collector) *CollectorSet {
	return &CollectorSet{reg: reg, collectors: cs, interval: interval, logger: logger}
}

// Start launches one goroutine per collector and returns how many it
// started. They run until ctx is done; Wait joins them.
func (cs *CollectorSet) Start(ctx context.Context) int {
	started := 0
	for _, c := range cs.collectors {
		cs.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer cs.wg.Done()
			cs.loop(ctx, c)
		}()
		started++
	}
	return started
}

// Restart launches goroutines for the named collectors only, e.g. after
// their configuration changed.
func (cs *CollectorSet) Restart(ctx context.Context, names ...string) {
	for _, c := range cs.collectors {
		if !slices.Contains(names, c.Name()) {
			continue
		}
		cs.wg.Add(1)
		go func(c Collector) {
			defer cs.wg.Done()
			cs.loop(ctx, c)
		}(c)
	}
}

func (cs *CollectorSet) loop(ctx context.Context, c Collector) {
	t := time.NewTicker(cs.interval)
	defer t.Stop()
	for {
		if err := c.Collect(ctx, cs.reg); err != nil {
			cs.logger.Warn("collect failed", "collector", c.Name(), "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Wait blocks until every collector goroutine has returned.
func (cs *CollectorSet) Wait() { cs.wg.Wait() }
