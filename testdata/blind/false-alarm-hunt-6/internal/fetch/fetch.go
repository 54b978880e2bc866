// Package fetch downloads files and probes health endpoints for the sync
// and monitoring jobs. Every request is bounded by a context deadline.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

// Client wraps an http.Client with a per-request timeout.
type Client struct {
	HTTP    *http.Client
	Timeout time.Duration
	Agent   string
}

// NewClient returns a client with sane defaults.
func NewClient(timeout time.Duration) *Client {
	return &Client{HTTP: &http.Client{Timeout: timeout}, Timeout: timeout, Agent: "falsealarm6/1.0"}
}

func (c *Client) newRequest(ctx context.Context, method, url string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.Agent)
	return req, nil
}

// Get fetches url and returns the body. The body is closed only after the
// error check.
func (c *Client) Get(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}

// Download streams url into path. The response body is read-only; the
// destination file's Close error is joined into the result.
func (c *Client) Download(ctx context.Context, url, path string) (n int64, err error) {
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return 0, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("download %s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return io.Copy(f, resp.Body)
}

// Probe reports whether url answers 2xx within the client timeout.
func (c *Client) Probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodHead, url)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("probe %s: %s", url, resp.Status)
	}
	return nil
}

// FirstHealthy probes the mirrors concurrently and returns the first that
// answers, or an error when ctx expires first.
func (c *Client) FirstHealthy(ctx context.Context, mirrors []string) (string, error) {
	found := make(chan string)
	for _, m := range mirrors {
		go func() {
			if c.Probe(ctx, m) == nil {
				found <- m // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case m := <-found:
		return m, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Fastest is the fixed variant: the channel has room for every mirror, so a
// late answer never blocks its goroutine.
func (c *Client) Fastest(ctx context.Context, mirrors []string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan string, len(mirrors))
	for _, m := range mirrors {
		go func() {
			if c.Probe(ctx, m) == nil {
				found <- m
			}
		}()
	}
	select {
	case m := <-found:
		return m, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ProbeAll probes every url and returns the per-url error. The sender selects
// on ctx.Done so an abandoned receive cannot leak it.
func (c *Client) ProbeAll(ctx context.Context, urls []string) map[string]error {
	type res struct {
		url string
		err error
	}
	ch := make(chan res)
	for _, u := range urls {
		go func() {
			r := res{u, c.Probe(ctx, u)}
			select {
			case ch <- r:
			case <-ctx.Done():
			}
		}()
	}
	out := make(map[string]error, len(urls))
	for range urls {
		select {
		case r := <-ch:
			out[r.url] = r.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// GetAll fetches every url with at most n requests in flight and waits for
// all of them before returning.
func (c *Client) GetAll(ctx context.Context, urls []string, n int) ([][]byte, []error) {
	bodies := make([][]byte, len(urls))
	errs := make([]error, len(urls))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			bodies[i], errs[i] = c.Get(ctx, u)
		}()
	}
	wg.Wait()
	return bodies, errs
}

// WithRetry calls fn up to attempts times with exponential backoff,
// stopping early when ctx ends.
func WithRetry(ctx context.Context, attempts int, base time.Duration, fn func() error) error {
	var err error
	delay := base
	for i := 0; i < attempts; i++ {
		if err = fn(); err == nil {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
		delay *= 2
	}
	return err
}
