package upstream

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Status is the last probe outcome for one target.
type Status struct {
	Up      bool          `json:"up"`
	Checked time.Time     `json:"checked"`
	Latency time.Duration `json:"latency"`
}

// Prober polls health endpoints.
type Prober struct {
	hc       *http.Client
	targets  []string
	interval time.Duration
	timeout  time.Duration
	lg       *log.Logger

	mu     sync.Mutex
	status map[string]Status
}

// NewProber returns a prober for targets (absolute URLs).
func NewProber(targets []string, interval, timeout time.Duration, lg *log.Logger) *Prober {
	return &Prober{
		hc:       &http.Client{},
		targets:  targets,
		interval: interval,
		timeout:  timeout,
		lg:       lg,
		status:   make(map[string]Status, len(targets)),
	}
}

// Run probes every target once per interval until ctx is done.
func (p *Prober) Run(ctx context.Context) {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	p.probeAll(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.probeAll(ctx)
		}
	}
}

func (p *Prober) probeAll(ctx context.Context) {
	for _, target := range p.targets {
		func() {
			ctx, cancel := context.WithTimeout(ctx, p.timeout)
			defer cancel()
			start := time.Now()
			up := p.probe(ctx, target)
			p.setStatus(target, Status{Up: up, Checked: start, Latency: time.Since(start)})
		}()
	}
}

func (p *Prober) probe(ctx context.Context, target string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		p.lg.Printf("probe: bad target %q: %v", target, err)
		return false
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode < http.StatusInternalServerError
}

func (p *Prober) setStatus(target string, st Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	prev, seen := p.status[target]
	p.status[target] = st
	if seen && prev.Up != st.Up {
		p.lg.Printf("probe: %s up=%t", target, st.Up)
	}
}

// Statuses returns a copy of the last outcomes.
func (p *Prober) Statuses() map[string]Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]Status, len(p.status))
	for k, v := range p.status {
		out[k] = v
	}
	return out
}

// CheckAll probes every target once, concurrently, and reports which are
// up. Targets that are not valid URLs are skipped.
func (p *Prober) CheckAll(ctx context.Context) map[string]bool {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]bool, len(p.targets))
	)
	for _, target := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if u, err := url.Parse(target); err != nil || u.Host == "" {
				p.lg.Printf("probe: skipping invalid target %q", target)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			ctx, cancel := context.WithTimeout(ctx, p.timeout)
			defer cancel()
			up := p.probe(ctx, target)
			mu.Lock()
			out[target] = up
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// Heartbeat tells the registry that this instance is alive, once per
// interval, for the life of the process.
func (p *Prober) Heartbeat(registry string) {
	t := time.NewTicker(p.interval)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		defer cancel() // HAZ defer-in-loop defer-in-infinite-loop
		if !p.probe(ctx, registry) {
			p.lg.Printf("probe: heartbeat to %s failed", registry)
		}
	}
}
