//go:build go1.18

// Package legacy holds region discovery code carried over from the v1 SDK.
package legacy

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Result is the round-trip time to one regional endpoint.
type Result struct {
	Endpoint string
	RTT      time.Duration
	Err      error
}

func ping(ctx context.Context, hc *http.Client, endpoint string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, endpoint+"/health", nil)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return time.Since(start), nil
}

// ProbeRegions pings every endpoint, spacing the probes by stagger.
func ProbeRegions(ctx context.Context, hc *http.Client, endpoints []string, stagger time.Duration) []Result {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make([]Result, 0, len(endpoints))
	for _, ep := range endpoints {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			d, err := ping(ctx, hc, ep)
			mu.Lock()
			out = append(out, Result{Endpoint: ep, RTT: d, Err: err})
			mu.Unlock()
		}()
		if stagger > 0 {
			time.Sleep(stagger)
		}
	}
	wg.Wait()
	sortResults(out)
	return out
}

// ProbeRegionsCopy is ProbeRegions with a per-iteration copy of the endpoint.
func ProbeRegionsCopy(ctx context.Context, hc *http.Client, endpoints []string, stagger time.Duration) []Result {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make([]Result, 0, len(endpoints))
	for _, ep := range endpoints {
		ep := ep // ok: shadowed copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := ping(ctx, hc, ep)
			mu.Lock()
			defer mu.Unlock()
			out = append(out, Result{Endpoint: ep, RTT: d, Err: err})
		}()
		if stagger > 0 {
			time.Sleep(stagger)
		}
	}
	wg.Wait()
	sortResults(out)
	return out
}

// ProbeRegionsIndexed writes each result to its own slot; the index is an argument.
func ProbeRegionsIndexed(ctx context.Context, hc *http.Client, endpoints []string) []Result {
	out := make([]Result, len(endpoints))
	var wg sync.WaitGroup
	for i := range endpoints {
		wg.Add(1)
		go func(i int) { // ok: passed as an argument
			defer wg.Done()
			d, err := ping(ctx, hc, endpoints[i])
			out[i] = Result{Endpoint: endpoints[i], RTT: d, Err: err}
		}(i)
	}
	wg.Wait()
	sortResults(out)
	return out
}

func sortResults(rs []Result) {
	sort.Slice(rs, func(i, j int) bool {
		if (rs[i].Err == nil) != (rs[j].Err == nil) {
			return rs[i].Err == nil
		}
		return rs[i].RTT < rs[j].RTT
	})
}

// Fastest returns the reachable endpoint with the lowest RTT.
func Fastest(rs []Result) (string, bool) {
	for _, r := range rs {
		if r.Err == nil {
			return r.Endpoint, true
		}
	}
	return "", false
}
