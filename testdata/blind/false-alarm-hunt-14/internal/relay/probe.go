package relay

import (
	"context"
	"net/http"
	"sync"
	"time"

	"example.com/fah14/internal/clock"
)

// Result is the outcome of probing one subscriber URL.
type Result struct {
	URL     string
	Status  int
	Latency time.Duration
	Err     error
}

// Prober checks that subscriber endpoints answer.
type Prober struct {
	client *http.Client
	clk    clock.Clock
}

// NewProber returns a prober using client and clk.
func NewProber(client *http.Client, clk clock.Clock) *Prober {
	return &Prober{client: client, clk: clk}
}

func (p *Prober) probe(ctx context.Context, url string) Result {
	start := p.clk.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return Result{URL: url, Err: err}
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return Result{URL: url, Err: err, Latency: p.clk.Since(start)}
	}
	defer resp.Body.Close()
	return Result{URL: url, Status: resp.StatusCode, Latency: p.clk.Since(start)}
}

// ProbeAll probes every target concurrently and returns the results that
// arrived before ctx was done.
func (p *Prober) ProbeAll(ctx context.Context, targets []string) []Result {
	results := make(chan Result, len(targets))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go func() { results <- p.probe(ctx, t) }()
	}
	out := make([]Result, 0, len(targets))
	for range targets {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// ProbeEach probes every target concurrently and waits for all probes, even
// after ctx is done (the probes themselves observe ctx).
func (p *Prober) ProbeEach(ctx context.Context, targets []string) []Result {
	results := make(chan Result)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- p.probe(ctx, t)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out
}

// ProbeBatch is ProbeAll for callers that need every result: it receives
// one result per target before returning, so closing the channel is safe.
func (p *Prober) ProbeBatch(ctx context.Context, targets []string) []Result {
	results := make(chan Result, len(targets))
	defer close(results)
	for _, t := range targets {
		go func() { results <- p.probe(ctx, t) }()
	}
	out := make([]Result, 0, len(targets))
	for range targets {
		out = append(out, <-results)
	}
	return out
}

// ProbeOne probes a single target, giving up when ctx is done.
func (p *Prober) ProbeOne(ctx context.Context, url string) (Result, error) {
	ch := make(chan Result)
	go func() { ch <- p.probe(ctx, url) }() // HAZ goroutine-blocked-send
	select {
	case r := <-ch:
		return r, r.Err
	case <-ctx.Done():
		return Result{URL: url}, ctx.Err()
	}
}

// ProbeWithin is ProbeOne with its own deadline; the result channel has room
// for the probe's answer, so a late probe never blocks.
func (p *Prober) ProbeWithin(url string, d time.Duration) (Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	ch := make(chan Result, 1)
	go func() { ch <- p.probe(ctx, url) }()
	select {
	case r := <-ch:
		return r, r.Err
	case <-ctx.Done():
		return Result{URL: url}, ctx.Err()
	}
}

// Ping reports whether url answers with a status below 500. A misbehaving
// client must not crash the health loop that calls it.
func (p *Prober) Ping(ctx context.Context, url string) bool {
	defer recover() // HAZ recover-ineffective
	r := p.probe(ctx, url)
	return r.Err == nil && r.Status < 500
}
