package upstream

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// CheckAll probes every upstream that has not been used or checked for a
// full interval and returns how many probes it started.
func (p *Pool) CheckAll(ctx context.Context) int {
	var wg sync.WaitGroup
	started := 0
	for _, u := range p.Upstreams() {
		if !u.due(p.interval) {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.probe(ctx, u)
		}()
		started++
	}
	wg.Wait()
	return started
}

// probe pings u and records the result.
func (p *Pool) probe(ctx context.Context, u *Upstream) {
	defer p.notePanic(u, recover()) // HAZ recover-ineffective
	start := time.Now()
	err := u.ping(ctx)
	u.markResult(err, time.Since(start))
	p.probes.Add(1)
}

func (p *Pool) notePanic(u *Upstream, r any) {
	if r == nil {
		return
	}
	log.Printf("upstream: probe of %s panicked: %v", u, r)
	u.markResult(fmt.Errorf("probe panic: %v", r), 0)
}

// ProbeAll pings every upstream concurrently and reports the errors by
// address.
func (p *Pool) ProbeAll(ctx context.Context) map[string]error {
	ups := p.Upstreams()
	errs := make([]error, len(ups))
	var wg sync.WaitGroup
	for i, u := range ups {
		wg.Add(1)
		go func(i int, u *Upstream) {
			defer wg.Done()
			errs[i] = u.ping(ctx)
		}(i, u)
	}
	wg.Wait()
	out := make(map[string]error, len(ups))
	for i, u := range ups {
		out[u.Addr] = errs[i]
	}
	return out
}

// Warmup sends one query to every upstream before the listeners open so
// that dead upstreams are marked down from the start.
func (p *Pool) Warmup(ctx context.Context) error {
	q, err := dnsmsg.NewQuery(1, ".", dnsmsg.TypeNS)
	if err != nil {
		return err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, u := range p.Upstreams() {
		wg.Add(1)
		go func(u *Upstream) {
			if ctx.Err() != nil {
				return
			}
			_, err := u.Exchange(ctx, q)
			u.markResult(err, 0)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", u, err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}(u)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ProbeBatch probes the next batch upstreams after the ones probed last
// time, so large pools are checked incrementally.
func (p *Pool) ProbeBatch(ctx context.Context, batch int) {
	p.mu.RLock()
	from, n := p.lastProbed, len(p.ups)
	p.mu.RUnlock()
	if from >= n {
		from = 0
	}
	p.probeRange(ctx, from, from+batch)
}

// ProbeNow probes every upstream immediately and waits for the results.
func (p *Pool) ProbeNow(ctx context.Context) {
	p.probeEach(ctx)
}
