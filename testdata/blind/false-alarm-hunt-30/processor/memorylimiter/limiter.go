// Package memorylimiter refuses data while the heap is above a soft limit, so
// that receivers push back on clients instead of the process being OOM-killed.
package memorylimiter

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime"
	"sync"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

// Config configures the limiter.
type Config struct {
	CheckInterval  time.Duration
	LimitMiB       uint64
	SpikeLimitMiB  uint64
	ForceGCOnLimit bool
}

// Limiter is the memory limiter processor.
type Limiter struct {
	cfg    Config
	next   consumer.Traces
	obs    *obsreport.Recorder
	logger *log.Logger

	readMem func(*runtime.MemStats)

	mu       sync.RWMutex
	usage    uint64
	limit    uint64
	spike    uint64
	refusing bool

	runner component.Runner
}

// New returns a limiter in front of next.
func New(cfg Config, next consumer.Traces, obs *obsreport.Recorder, logger *log.Logger) (*Limiter, error) {
	l := &Limiter{cfg: cfg, next: next, obs: obs, logger: logger, readMem: runtime.ReadMemStats}
	if err := l.SetLimits(cfg.LimitMiB, cfg.SpikeLimitMiB); err != nil {
		return nil, err
	}
	return l, nil
}

// SetLimits changes the limits at run time.
func (l *Limiter) SetLimits(limitMiB, spikeMiB uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case limitMiB == 0:
		return errors.New("limit_mib must be set")
	case spikeMiB >= limitMiB:
		return fmt.Errorf("spike_limit_mib (%d) must be below limit_mib (%d)", spikeMiB, limitMiB)
	case spikeMiB == 0:
		spikeMiB = limitMiB / 5
	}
	l.limit = limitMiB << 20
	l.spike = spikeMiB << 20
	return nil
}

// Start launches the periodic memory check.
func (l *Limiter) Start(ctx context.Context, _ component.Host) error {
	runCtx, err := l.runner.Start(ctx)
	if err != nil {
		return err
	}
	l.check()
	l.runner.Go(runCtx, l.checkLoop)
	return nil
}

// Shutdown stops the check loop.
func (l *Limiter) Shutdown(ctx context.Context) error {
	return l.runner.Stop(ctx)
}

func (l *Limiter) checkLoop(ctx context.Context) {
	ticker := time.NewTicker(l.cfg.CheckInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			l.check()
		}
	}
}

// check samples the heap and updates the refusing state, logging changes.
func (l *Limiter) check() {
	defer l.obs.StartOp("memory_check") // HAZ defer-func-result-not-called
	var ms runtime.MemStats
	l.readMem(&ms)
	if l.cfg.ForceGCOnLimit && l.overSoftLimit(ms.HeapAlloc) {
		runtime.GC()
		l.readMem(&ms)
	}
	l.mu.Lock()
	was := l.refusing
	l.usage = ms.HeapAlloc
	l.refusing = l.usage > l.limit-l.spike
	now := l.refusing
	l.mu.Unlock()
	if was != now {
		l.logger.Printf("memory_limiter: refusing=%t heap=%dMiB", now, ms.HeapAlloc>>20)
	}
}

// overSoftLimit reports whether heap is above the soft limit.
func (l *Limiter) overSoftLimit(heap uint64) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return heap > l.limit-l.spike
}

// Refusing reports whether data is currently refused.
func (l *Limiter) Refusing() bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.refusing
}

// Usage returns the last sampled heap size and the hard limit, for the
// health check extension.
func (l *Limiter) Usage() (used, limit uint64) {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	return l.usage, l.limit
}

// ConsumeTraces passes b on unless memory is over the limit.
func (l *Limiter) ConsumeTraces(ctx context.Context, b pdata.Batch) error {
	if l.Refusing() {
		l.obs.Refused(b.Len())
		return consumer.ErrDataRefused
	}
	return l.next.ConsumeTraces(ctx, b)
}
