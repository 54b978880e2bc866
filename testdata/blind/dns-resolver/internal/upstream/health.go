package upstream

import (
	"context"
	"log"
	"maps"
	"sync"
	"time"
)

// Checker probes the upstreams periodically and flips their health state.
type Checker struct {
	upstreams []*Upstream
	interval  time.Duration
	timeout   time.Duration
	log       *log.Logger

	mu      sync.Mutex
	last    map[string]error
	lastRun time.Time
}

// NewChecker returns a checker for ups.
func NewChecker(ups []*Upstream, interval, timeout time.Duration, logger *log.Logger) *Checker {
	return &Checker{
		upstreams: ups,
		interval:  interval,
		timeout:   timeout,
		log:       logger,
		last:      make(map[string]error),
	}
}

// Run probes every interval until ctx is done.
func (h *Checker) Run(ctx context.Context) {
	t := time.NewTicker(h.interval)
	defer t.Stop()
	h.runOnce(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.runOnce(ctx)
		}
	}
}

func (h *Checker) runOnce(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range h.upstreams {
		wg.Add(1)
		go func() {
			if u.Disabled() {
				return
			}
			pctx, cancel := context.WithTimeout(ctx, h.timeout)
			err := u.Probe(pctx)
			cancel()
			h.record(u.Addr, err)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	h.mu.Lock()
	h.lastRun = time.Now()
	h.mu.Unlock()
}

func (h *Checker) record(addr string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	prev, seen := h.last[addr]
	h.last[addr] = err
	switch {
	case err != nil && (!seen || prev == nil):
		h.log.Printf("upstream %s: unhealthy: %v", addr, err)
	case err == nil && prev != nil:
		h.log.Printf("upstream %s: healthy again", addr)
	}
}

// Results returns the outcome of the last probe of every upstream and when
// the last round finished.
func (h *Checker) Results() (map[string]error, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.last), h.lastRun
}

type probeResult struct {
	addr string
	err  error
}

// CheckNow probes all upstreams and returns what answered within the
// checker's timeout; used by the admin API's "check now" button.
func (h *Checker) CheckNow(ctx context.Context) map[string]error {
	results := make(chan probeResult, len(h.upstreams))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, u := range h.upstreams {
		go func() {
			results <- probeResult{u.Addr, u.Probe(ctx)}
		}()
	}
	out := make(map[string]error, len(h.upstreams))
	timer := time.NewTimer(h.timeout)
	defer timer.Stop()
	for range h.upstreams {
		select {
		case r := <-results:
			out[r.addr] = r.err
		case <-timer.C:
			return out
		}
	}
	return out
}

// ProbeAll probes all upstreams and waits for every probe to finish.
func (h *Checker) ProbeAll(ctx context.Context) map[string]error {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	results := make(chan probeResult, len(h.upstreams))
	var wg sync.WaitGroup
	for _, u := range h.upstreams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- probeResult{u.Addr, u.Probe(ctx)}
		}()
	}
	wg.Wait()
	close(results)
	out := make(map[string]error, len(h.upstreams))
	for r := range results {
		out[r.addr] = r.err
		h.record(r.addr, r.err)
	}
	return out
}
