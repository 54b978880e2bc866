// Package fetch is the relay's small HTTP client for upstream sinks and
// control endpoints.
package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"

	"example.com/fah16/internal/trace"
)

// Client wraps an http.Client with the relay's user agent.
type Client struct {
	hc    *http.Client
	agent string

	mu    sync.Mutex
	calls map[string]int
}

// NewClient returns a client whose requests time out after timeout.
func NewClient(timeout time.Duration) *Client {
	return &Client{hc: &http.Client{Timeout: timeout}, agent: "relay/1.4", calls: make(map[string]int)}
}

// do sends req, counting requests per method for the debug endpoint.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.calls[req.Method]++
	c.mu.Unlock()
	return c.hc.Do(req)
}

// Calls returns how many requests were sent with method.
func (c *Client) Calls(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

func (c *Client) newRequest(ctx context.Context, method, url string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.agent)
	return req, nil
}

// GetJSON decodes the JSON body of a GET into v.
func (c *Client) GetJSON(ctx context.Context, url string, v any) error {
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Status returns the status code of a HEAD request.
func (c *Client) Status(ctx context.Context, url string) (int, error) {
	req, err := c.newRequest(ctx, http.MethodHead, url)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", url, err)
	}
	return resp.StatusCode, nil
}

// Ping checks that url answers 2xx and reports how long it took.
func (c *Client) Ping(ctx context.Context, url string) (took time.Duration, err error) {
	defer trace.Measure(&took)()
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, fmt.Errorf("ping %s: %w", url, err)
	}
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)); err != nil {
		return 0, err
	}
	if resp.StatusCode/100 != 2 {
		return 0, fmt.Errorf("ping %s: %s", url, resp.Status)
	}
	return 0, nil
}

// Latency measures one GET of url, body included.
func (c *Client) Latency(ctx context.Context, url string) (took time.Duration, err error) {
	defer trace.Measure(&took) // HAZ defer-func-result-not-called
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return 0, err
}

// Download saves the body of url into dst. A failed Close of dst is reported.
func (c *Client) Download(ctx context.Context, url, dst string) (err error) {
	req, err := c.newRequest(ctx, http.MethodGet, url)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", url, resp.Status)
	}

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, out.Close())
	}()
	_, err = io.Copy(out, resp.Body)
	return err
}

// Mirror downloads every url into dir, named after the last path element.
func (c *Client) Mirror(ctx context.Context, urls []string, dir string) error {
	var errs []error
	for _, u := range urls {
		dst := filepath.Join(dir, path.Base(u))
		if err := c.Download(ctx, u, dst); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FetchAll GETs every url concurrently and returns the error of each one
// that finished before ctx ended.
func (c *Client) FetchAll(ctx context.Context, urls []string) map[string]error {
	type res struct {
		url string
		err error
	}
	ch := make(chan res, len(urls))
	for _, u := range urls {
		go func() {
			var body json.RawMessage
			ch <- res{url: u, err: c.GetJSON(ctx, u, &body)}
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
