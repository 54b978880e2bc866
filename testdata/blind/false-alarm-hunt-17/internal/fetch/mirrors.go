package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// ping checks the health endpoint of mirror.
func (c *Client) ping(ctx context.Context, mirror string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, mirror+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	c.logger.Debug("mirror probed", "mirror", mirror, "err", err)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("ping %s: %w", mirror, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping %s: %s", mirror, resp.Status)
	}
	return nil
}

// FirstHealthy probes the mirrors concurrently and returns the first one to
// answer.
func (c *Client) FirstHealthy(ctx context.Context, mirrors []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.probeTimeout)
	defer cancel()
	found := make(chan string)
	for _, m := range mirrors {
		go func() {
			if err := c.ping(ctx, m); err == nil {
				found <- m // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case m := <-found:
		return m, nil
	case <-ctx.Done():
		return "", fmt.Errorf("fetch: no healthy mirror among %d: %w", len(mirrors), context.Cause(ctx))
	}
}

// BlobWithMeta fetches the content and the metadata of key in parallel.
func (c *Client) BlobWithMeta(ctx context.Context, key string) ([]byte, map[string]any, error) {
	type metaResult struct {
		m   map[string]any
		err error
	}
	metac := make(chan metaResult)
	go func() {
		m, err := GetJSON[map[string]any](ctx, c, "/blobs/"+url.PathEscape(key)+"/meta")
		metac <- metaResult{m, err} // HAZ goroutine-blocked-send
	}()
	b, err := c.Blob(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	mr := <-metac
	if mr.err != nil {
		return nil, nil, mr.err
	}
	return b, mr.m, nil
}

// HealthyMirrors probes every mirror and returns, in the given order, those
// that answered within the probe timeout.
func (c *Client) HealthyMirrors(ctx context.Context, mirrors []string) []string {
	ctx, cancel := context.WithTimeout(ctx, c.probeTimeout)
	defer cancel()
	type probe struct {
		i  int
		ok bool
	}
	results := make(chan probe, len(mirrors))
	for i, m := range mirrors {
		go func() {
			results <- probe{i: i, ok: c.ping(ctx, m) == nil}
		}()
	}
	ok := make([]bool, len(mirrors))
collect:
	for range mirrors {
		select {
		case p := <-results:
			ok[p.i] = p.ok
		case <-ctx.Done():
			break collect
		}
	}
	var healthy []string
	for i, m := range mirrors {
		if ok[i] {
			healthy = append(healthy, m)
		}
	}
	return healthy
}
