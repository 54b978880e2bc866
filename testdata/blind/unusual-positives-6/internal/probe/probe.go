// Package probe measures TCP connect latency to a set of targets.
package probe

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// Result is the outcome of one probe.
type Result struct {
	Target string
	RTT    time.Duration
	Err    error
}

// Prober dials targets with a timeout.
type Prober struct {
	timeout time.Duration
}

// New returns a prober that gives up on a target after timeout.
func New(timeout time.Duration) *Prober {
	return &Prober{timeout: timeout}
}

func (p *Prober) probeOne(target string) Result {
	start := time.Now()
	c, err := net.DialTimeout("tcp", target, p.timeout)
	if err != nil {
		return Result{Target: target, Err: err}
	}
	rtt := time.Since(start)
	c.Close()
	return Result{Target: target, RTT: rtt}
}

// ProbeAll probes every target concurrently and returns their RTTs, or the
// first failure.
func (p *Prober) ProbeAll(targets []string) (map[string]time.Duration, error) {
	var wg sync.WaitGroup
	results := make(chan Result, len(targets))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		wg.Go(func() { results <- p.probeOne(t) })
	}
	rtts := make(map[string]time.Duration, len(targets))
	for range targets {
		r := <-results
		if r.Err != nil {
			return nil, fmt.Errorf("probe %s: %w", r.Target, r.Err)
		}
		rtts[r.Target] = r.RTT
	}
	wg.Wait()
	return rtts, nil
}

// safeProbe probes target; a panicking dialer must not take the caller down.
func (p *Prober) safeProbe(target string) (res Result) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			res = Result{Target: target}
		}
	}()
	return p.probeOne(target)
}

// checkedProbe probes target and reports a panicking dialer as an error.
func (p *Prober) checkedProbe(target string) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Target: target, Err: fmt.Errorf("probe panicked: %v", r)}
		}
	}()
	return p.probeOne(target)
}

// ProbeSafely probes targets one after another, skipping dialer panics.
func (p *Prober) ProbeSafely(targets []string) []Result {
	out := make([]Result, 0, len(targets))
	for _, t := range targets {
		out = append(out, p.safeProbe(t))
	}
	return out
}

// ProbeEach probes every target concurrently and returns all results in
// target order.
func (p *Prober) ProbeEach(targets []string) []Result {
	out := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = p.checkedProbe(t)
		}()
	}
	wg.Wait()
	return out
}

// ProbeBudget probes targets in order until budget probes are under way and
// returns the results with the number of targets probed.
func (p *Prober) ProbeBudget(targets []string, budget int) ([]Result, int) {
	out := make([]Result, len(targets))
	var wg sync.WaitGroup
	var n int
	for n = 0; n < len(targets) && n < budget; n++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			out[n] = p.probeOne(targets[n])
		}()
	}
	wg.Wait()
	return out[:n], n
}

// Watch probes targets every interval and streams the results until ctx
// ends; the channel is closed afterwards.
func (p *Prober) Watch(ctx context.Context, targets []string, every time.Duration) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			for _, r := range p.ProbeEach(targets) {
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
