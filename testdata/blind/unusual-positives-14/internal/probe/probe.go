// Package probe checks HTTP endpoints concurrently.
package probe

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Result is the outcome of one check.
type Result struct {
	Target string
	Status int
	Err    error
	Took   time.Duration
}

// Prober issues HEAD requests.
type Prober struct {
	client  *http.Client
	budget  time.Duration
	stagger time.Duration
	started atomic.Int64
}

// New returns a prober that gives a whole sweep budget to finish.
func New(client *http.Client, budget, stagger time.Duration) *Prober {
	if client == nil {
		client = http.DefaultClient
	}
	return &Prober{client: client, budget: budget, stagger: stagger}
}

func (p *Prober) check(ctx context.Context, target string) Result {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, target, nil)
	if err != nil {
		return Result{Target: target, Err: err}
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return Result{Target: target, Err: err, Took: time.Since(start)}
	}
	resp.Body.Close()
	return Result{Target: target, Status: resp.StatusCode, Took: time.Since(start)}
}

func (p *Prober) probeInto(ctx context.Context, target string, out chan<- Result) {
	p.started.Add(1)
	out <- p.check(ctx, target)
}

func (p *Prober) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Probe checks every target and returns the results in target order,
// stopping early when ctx ends.
func (p *Prober) Probe(ctx context.Context, targets []string) ([]Result, error) {
	pending := make([]chan Result, len(targets))
	for i, t := range targets {
		pending[i] = make(chan Result)
		go func() {
			pending[i] <- p.check(ctx, t) // HAZ goroutine-blocked-send
		}()
	}
	out := make([]Result, 0, len(targets))
	for _, ch := range pending {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// ProbeOrdered is Probe with a channel of one-slot reply channels: a result
// nobody waits for any more still fits in its slot.
func (p *Prober) ProbeOrdered(ctx context.Context, targets []string) ([]Result, error) {
	order := make(chan chan Result, len(targets))
	for _, t := range targets {
		rc := make(chan Result, 1)
		order <- rc
		go func() { rc <- p.check(ctx, t) }()
	}
	close(order)
	out := make([]Result, 0, len(targets))
	for rc := range order {
		select {
		case r := <-rc:
			out = append(out, r)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// Sweep checks every target within the prober's budget and returns what
// arrived in time.
func (p *Prober) Sweep(ctx context.Context, targets []string) []Result {
	out := make(chan Result, len(targets))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go p.probeInto(ctx, t, out)
	}
	var res []Result
	timeout := time.After(p.budget)
	for range targets {
		select {
		case r := <-out:
			res = append(res, r)
		case <-timeout:
			return res
		}
	}
	return res
}

// SweepAll checks every target and waits for all of them.
func (p *Prober) SweepAll(ctx context.Context, targets []string) []Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.probeInto(ctx, t, out)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var res []Result
	for r := range out {
		res = append(res, r)
	}
	return res
}

// Spread checks target n times, staggering the starts, and stops launching
// once ctx ends.
func (p *Prober) Spread(ctx context.Context, target string, n int) []Result {
	results := make(chan Result, n)
	var i int
	for i = 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		go func() { // HAZ loop-var-capture
			p.sleep(ctx, time.Duration(i)*p.stagger)
			results <- p.check(ctx, target)
		}()
	}
	out := make([]Result, 0, i)
	for range i {
		out = append(out, <-results)
	}
	return out
}

// Burst checks target n times with staggered starts.
func (p *Prober) Burst(ctx context.Context, target string, n int) []Result {
	results := make(chan Result, n)
	for i := range n {
		go func() {
			p.sleep(ctx, time.Duration(i)*p.stagger)
			results <- p.check(ctx, target)
		}()
	}
	out := make([]Result, 0, n)
	for range n {
		out = append(out, <-results)
	}
	return out
}
