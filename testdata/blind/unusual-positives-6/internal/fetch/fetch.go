// Package fetch is the HTTP client up6 uses to talk to its backends.
package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"example.com/up6/internal/group"
)

// Client talks JSON to one backend.
type Client struct {
	hc   *http.Client
	base string
}

// New returns a client for the backend at base.
func New(base string, timeout time.Duration) *Client {
	return &Client{hc: &http.Client{Timeout: timeout}, base: strings.TrimRight(base, "/")}
}

func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "up6/1")
	return c.hc.Do(req)
}

// GetJSON decodes the JSON document at path into v.
func (c *Client) GetJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// PostJSON posts v to url and returns the response; the caller closes its body.
func (c *Client) PostJSON(ctx context.Context, url string, v any) (*http.Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req)
}

// Alive reports whether the backend answers path without a server error.
func (c *Client) Alive(ctx context.Context, path string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+path, nil)
	if err != nil {
		return false
	}
	resp, _ := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode < http.StatusInternalServerError
}

func (c *Client) push(ctx context.Context, op string, ids []string) error {
	resp, err := c.PostJSON(ctx, c.base+"/v1/"+op, ids)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode >= http.StatusMultipleChoices {
		return fmt.Errorf("%s: %s", op, resp.Status)
	}
	return nil
}

// Sync pushes deletions and upserts for ids concurrently.
func (c *Client) Sync(ctx context.Context, ids []string) error {
	errc := make(chan error)
	go func() { errc <- c.push(ctx, "delete", ids) }() // HAZ goroutine-blocked-send
	if err := c.push(ctx, "upsert", ids); err != nil {
		return err
	}
	return <-errc
}

// Mirror pushes deletions and upserts for ids concurrently, cancelling the
// other push when one fails.
func (c *Client) Mirror(ctx context.Context, ids []string) error {
	g, ctx := group.WithContext(ctx)
	g.Go(func() error { return c.push(ctx, "delete", ids) })
	g.Go(func() error { return c.push(ctx, "upsert", ids) })
	return g.Wait()
}

// FetchAll fetches every path, four at a time, and returns the raw documents
// in input order.
func (c *Client) FetchAll(ctx context.Context, paths []string) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(paths))
	g, ctx := group.WithContext(ctx)
	g.SetLimit(4)
	for i, p := range paths {
		g.Go(func() error { return c.GetJSON(ctx, p, &out[i]) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
