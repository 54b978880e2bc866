package upstream

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type result struct {
	body []byte
	err  error
}

// Hedged asks the mirrors one after another, starting the next mirror when
// the previous ones have not answered within hedgeDelay, and returns the
// first success.
func (c *Client) Hedged(ctx context.Context, path string, hedgeDelay time.Duration) ([]byte, error) {
	if len(c.mirrors) == 0 {
		return c.Fetch(ctx, path)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make(chan result, len(c.mirrors))
	var lastErr error
	pending := 0
	var i int
	for i = 0; i < len(c.mirrors); i++ {
		pending++
		go func() { // HAZ loop-var-capture
			b, err := c.fetchFrom(ctx, c.mirrors[i], path)
			results <- result{body: b, err: err}
		}()
		select {
		case r := <-results:
			pending--
			if r.err == nil {
				return r.body, nil
			}
			lastErr = r.err
		case <-time.After(hedgeDelay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for ; pending > 0; pending-- {
		r := <-results
		if r.err == nil {
			return r.body, nil
		}
		lastErr = r.err
	}
	return nil, fmt.Errorf("upstream: all %d mirrors failed for %s: %w", i, path, lastErr)
}

// Reachable probes every mirror concurrently and returns the error of each
// one that did not answer.
func (c *Client) Reachable(ctx context.Context) map[string]error {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs = make(map[string]error)
	)
	for _, m := range c.mirrors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.fetchFrom(ctx, m, "healthz"); err != nil {
				mu.Lock()
				errs[m] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

// ProbeAll asks each mirror in turn for one well-known path, with an index
// loop so the failing mirror can be reported by position.
func (c *Client) ProbeAll(ctx context.Context, path string) []error {
	errs := make([]error, len(c.mirrors))
	var wg sync.WaitGroup
	for i := 0; i < len(c.mirrors); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.fetchFrom(ctx, c.mirrors[i], path)
		}()
	}
	wg.Wait()
	return errs
}

// CheckMirrors sends a HEAD to every mirror's health endpoint and returns
// the names of the ones that answered 200.
func (c *Client) CheckMirrors(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var healthy []string
	var errs []error
	for _, m := range c.mirrors {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, m+"/healthz", nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode == http.StatusOK {
			healthy = append(healthy, m)
		}
	}
	return healthy, errors.Join(errs...)
}
