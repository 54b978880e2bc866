package match

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// RegionProbe names a region and its health endpoint.
type RegionProbe struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Game string `json:"game"` // host:port of the region's game listener
}

// Latency is the result of probing one region.
type Latency struct {
	Region string
	RTT    time.Duration
	Err    error
}

func probeOne(ctx context.Context, client *http.Client, p RegionProbe) Latency {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return Latency{Region: p.Name, Err: err}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Latency{Region: p.Name, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Latency{Region: p.Name, Err: fmt.Errorf("status %s", resp.Status)}
	}
	return Latency{Region: p.Name, RTT: time.Since(start)}
}

// ProbeRegions measures HTTP latency to each region and returns whatever
// answered within timeout.
func ProbeRegions(ctx context.Context, client *http.Client, probes []RegionProbe, timeout time.Duration) []Latency {
	results := make(chan Latency, len(probes))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range probes {
		go func(p RegionProbe) {
			results <- probeOne(ctx, client, p)
		}(p)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var out []Latency
	for range probes {
		select {
		case l := <-results:
			out = append(out, l)
		case <-deadline.C:
			return out
		}
	}
	return out
}

// ProbeAll probes every region and waits for all of them; the client's own
// timeout bounds the wait.
func ProbeAll(ctx context.Context, client *http.Client, probes []RegionProbe) []Latency {
	results := make(chan Latency, len(probes))
	var wg sync.WaitGroup
	for _, p := range probes {
		wg.Add(1)
		go func(p RegionProbe) {
			defer wg.Done()
			results <- probeOne(ctx, client, p)
		}(p)
	}
	wg.Wait()
	close(results)
	out := make([]Latency, 0, len(probes))
	for l := range results {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RTT < out[j].RTT })
	return out
}

// BestRegion picks the fastest region that answered.
func BestRegion(ls []Latency) (string, bool) {
	best := -1
	for i, l := range ls {
		if l.Err != nil {
			continue
		}
		if best < 0 || l.RTT < ls[best].RTT {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return ls[best].Region, true
}

// FetchRegions downloads the region list from the directory service.
func FetchRegions(ctx context.Context, client *http.Client, url string) ([]RegionProbe, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("regions: %s", resp.Status)
	}
	var out []RegionProbe
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	return out, nil
}

// PingTCP measures connect latency to a region's game port.
func PingTCP(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("ping %s: %w", addr, err)
	}
	return time.Since(start), nil
}
