//go:build go1.21

package sdk

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

var probesStarted atomic.Int64

type probeSample struct {
	endpoint string
	rtt      time.Duration
	err      error
}

// Probe measures the latency of every configured relay endpoint concurrently
// and returns the reachable ones, fastest first.
func (c *Client) Probe(ctx context.Context) []string {
	samples := make(chan probeSample, len(c.opts.Endpoints))
	var wg sync.WaitGroup
	for _, ep := range c.opts.Endpoints {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			start := time.Now()
			err := c.ping(ctx, ep)
			samples <- probeSample{endpoint: ep, rtt: time.Since(start), err: err}
		}()
		probesStarted.Add(1)
	}
	wg.Wait()
	close(samples)
	var ok []probeSample
	for s := range samples {
		if s.err == nil {
			ok = append(ok, s)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].rtt < ok[j].rtt })
	out := make([]string, len(ok))
	for i, s := range ok {
		out[i] = s.endpoint
	}
	return out
}

// PingAll checks every endpoint and returns the error of each one (nil when healthy).
func (c *Client) PingAll(ctx context.Context) map[string]error {
	var (
		mu   sync.Mutex
		errs = make(map[string]error, len(c.opts.Endpoints))
		wg   sync.WaitGroup
	)
	for _, ep := range c.opts.Endpoints {
		ep := ep
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.ping(ctx, ep)
			mu.Lock()
			errs[ep] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return errs
}

// PingEach is PingAll for callers that keep endpoints in a slice: errs[i]
// belongs to Options.Endpoints[i].
func (c *Client) PingEach(ctx context.Context) []error {
	errs := make([]error, len(c.opts.Endpoints))
	var wg sync.WaitGroup
	for i, ep := range c.opts.Endpoints {
		wg.Add(1)
		go func(i int, ep string) {
			defer wg.Done()
			errs[i] = c.ping(ctx, ep)
		}(i, ep)
	}
	wg.Wait()
	return errs
}

func (c *Client) ping(ctx context.Context, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sdk: %s: %s", endpoint, resp.Status)
	}
	return nil
}
