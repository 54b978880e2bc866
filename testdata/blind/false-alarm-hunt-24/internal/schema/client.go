// Package schema downloads the JSON schemas that the generators read.
package schema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/fah24/internal/cache"
)

const maxSchema = 8 << 20

// Client fetches schemas from a registry base URL and caches them.
type Client struct {
	hc      *http.Client
	base    string
	cache   *cache.Store
	retries int
}

// NewClient returns a client for base with a per-request timeout.
func NewClient(base string, store *cache.Store) *Client {
	return &Client{
		hc:      &http.Client{Timeout: 30 * time.Second},
		base:    strings.TrimSuffix(base, "/"),
		cache:   store,
		retries: 3,
	}
}

func (c *Client) url(base, name string) string {
	return base + "/schemas/" + url.PathEscape(name) + ".json"
}

// do sends req with the tool's user agent.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "gentool/1 (+schema)")
	req.Header.Set("Accept", "application/schema+json, application/json")
	return c.hc.Do(req)
}

// Fetch downloads one schema document from the primary registry.
func (c *Client) Fetch(ctx context.Context, name string) ([]byte, error) {
	return c.fetchFrom(ctx, c.base, name)
}

func (c *Client) fetchFrom(ctx context.Context, base, name string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(base, name), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxSchema))
}

// ETag reports the current entity tag of a schema without downloading it.
func (c *Client) ETag(ctx context.Context, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.url(c.base, name), nil)
	if err != nil {
		return "", err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HEAD %s: %s", req.URL, resp.Status)
	}
	return resp.Header.Get("ETag"), nil
}

// Revalidate downloads name only if it changed since etag. It returns
// nil data for "not modified".
func (c *Client) Revalidate(ctx context.Context, name, etag string) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(c.base, name), nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("If-None-Match", etag)
	resp, err := c.do(req)
	switch {
	case err != nil:
		return nil, "", err
	case resp.StatusCode == http.StatusNotModified:
		resp.Body.Close()
		return nil, etag, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSchema))
	return data, resp.Header.Get("ETag"), err
}

// FetchRetry retries transient failures with exponential backoff.
func (c *Client) FetchRetry(ctx context.Context, name string) ([]byte, error) {
	backoff := 200 * time.Millisecond
	var errs []error
	for attempt := 1; attempt <= c.retries; attempt++ {
		data, err := c.Fetch(ctx, name)
		if err == nil {
			return data, nil
		}
		errs = append(errs, fmt.Errorf("attempt %d: %w", attempt, err))
		select {
		case <-ctx.Done():
			return nil, errors.Join(append(errs, ctx.Err())...)
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return nil, errors.Join(errs...)
}
