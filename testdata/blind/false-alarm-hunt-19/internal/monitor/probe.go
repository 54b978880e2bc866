package monitor

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// ProbeResult is the outcome of one black-box probe.
type ProbeResult struct {
	Target  string
	Up      bool
	Latency time.Duration
	Err     error
}

// Prober checks that targets answer on their health endpoint.
type Prober struct {
	hc      *http.Client
	targets []Target
	timeout time.Duration
}

// NewProber returns a prober with a per-probe timeout.
func NewProber(targets []Target, timeout time.Duration) *Prober {
	return &Prober{hc: &http.Client{}, targets: targets, timeout: timeout}
}

func (p *Prober) probe(ctx context.Context, t Target) ProbeResult {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL+"/health", nil)
	if err != nil {
		return ProbeResult{Target: t.Name, Err: err}
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return ProbeResult{Target: t.Name, Err: err, Latency: time.Since(start)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	return ProbeResult{Target: t.Name, Up: resp.StatusCode == http.StatusOK, Latency: time.Since(start)}
}

// ProbeAll probes every target concurrently. A panic while probing is
// reported as an error rather than crashing the monitor.
func (p *Prober) ProbeAll(ctx context.Context) (results []ProbeResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("probe: %v", r)
		}
	}()
	resc := make(chan ProbeResult, len(p.targets))
	for _, t := range p.targets {
		go func() { // HAZ goroutine-outside-recover
			resc <- p.probe(ctx, t)
		}()
	}
	for range p.targets {
		results = append(results, <-resc)
	}
	return results, nil
}

// Sweep is ProbeAll for untrusted target lists: every probe goroutine
// recovers its own panic and turns it into a failed result.
func (p *Prober) Sweep(ctx context.Context) (results []ProbeResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sweep: %v", r)
		}
	}()
	results = make([]ProbeResult, len(p.targets))
	var wg sync.WaitGroup
	for i, t := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					results[i] = ProbeResult{Target: t.Name, Err: fmt.Errorf("probe panicked: %v", r)}
				}
			}()
			results[i] = p.probe(ctx, t)
		}()
	}
	wg.Wait()
	return results, nil
}

// Stream probes every target and sends each result on results as soon as
// it is known. It stops waiting when ctx is done, and closes results when
// it returns.
func (p *Prober) Stream(ctx context.Context, results chan<- ProbeResult) {
	defer close(results) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, t := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- p.probe(ctx, t)
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// TCPProbe measures how long it takes to open a TCP connection to addr.
func TCPProbe(ctx context.Context, addr string) (time.Duration, error) {
	var d net.Dialer
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return time.Since(start), nil
}
