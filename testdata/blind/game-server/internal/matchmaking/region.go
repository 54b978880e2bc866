package matchmaking

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"time"
)

// ErrUnknownRegion is returned for regions without a probe address.
var ErrUnknownRegion = errors.New("matchmaking: unknown region")

type probeResult struct {
	region string
	rtt    time.Duration
	err    error
}

type probeRequest struct {
	region string
	reply  chan probeResult
}

// Prober measures TCP connect latency to each region's edge so that players
// are queued in the region closest to them.
type Prober struct {
	regions  map[string]string // region -> host:port
	timeout  time.Duration
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)
	requests chan probeRequest
}

// NewProber returns a prober for the given region edges.
func NewProber(regions map[string]string, timeout time.Duration) *Prober {
	d := &net.Dialer{}
	return &Prober{regions: regions, timeout: timeout, dial: d.DialContext, requests: make(chan probeRequest)}
}

// Start launches the shared probe workers used by Probe.
func (p *Prober) Start(workers int) {
	for i := 0; i < workers; i++ {
		go p.worker()
	}
}

// worker serves probe requests for the lifetime of the process.
func (p *Prober) worker() {
	for {
		req := <-p.requests
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		defer cancel() // HAZ defer-in-loop defer-in-infinite-loop
		rtt, err := p.probe(ctx, req.region)
		req.reply <- probeResult{region: req.region, rtt: rtt, err: err}
	}
}

func (p *Prober) probe(ctx context.Context, region string) (time.Duration, error) {
	addr, ok := p.regions[region]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknownRegion, region)
	}
	start := time.Now()
	conn, err := p.dial(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	rtt := time.Since(start)
	conn.Close()
	return rtt, nil
}

// Probe measures one region through the worker pool.
func (p *Prober) Probe(ctx context.Context, region string) (time.Duration, error) {
	req := probeRequest{region: region, reply: make(chan probeResult, 1)}
	select {
	case p.requests <- req:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case r := <-req.reply:
		return r.rtt, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Nearest returns the first region whose edge answers.
func (p *Prober) Nearest(ctx context.Context) (string, error) {
	results := make(chan probeResult, len(p.regions))
	defer close(results) // HAZ defer-close-chan-with-sender
	for region := range p.regions {
		go func(region string) {
			rtt, err := p.probe(ctx, region)
			results <- probeResult{region: region, rtt: rtt, err: err}
		}(region)
	}
	var lastErr error = ErrUnknownRegion
	for range p.regions {
		r := <-results
		if r.err == nil {
			return r.region, nil
		}
		lastErr = r.err
	}
	return "", lastErr
}

// Measure probes every region and returns the latencies of those that
// answered, fastest first.
func (p *Prober) Measure(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	results := make(chan probeResult, len(p.regions))
	defer close(results)
	for region := range p.regions {
		go func(region string) {
			rtt, err := p.probe(ctx, region)
			results <- probeResult{region: region, rtt: rtt, err: err}
		}(region)
	}
	rtts := make(map[string]time.Duration, len(p.regions))
	for range p.regions {
		if r := <-results; r.err == nil {
			rtts[r.region] = r.rtt
		}
	}
	ranked := make([]string, 0, len(rtts))
	for region := range rtts {
		ranked = append(ranked, region)
	}
	sort.Slice(ranked, func(i, j int) bool { return rtts[ranked[i]] < rtts[ranked[j]] })
	return ranked
}
