// Package fetch talks to upstream HTTP services.
package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client is a small JSON client for one upstream.
type Client struct {
	http *http.Client
	base string
}

// NewClient returns a client with a sane timeout.
func NewClient(base string) *Client {
	return &Client{http: &http.Client{Timeout: 10 * time.Second}, base: strings.TrimRight(base, "/")}
}

// GetJSON decodes the JSON body at path into v.
func (c *Client) GetJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	do := c.http.Do
	resp, err := do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// PostJSON sends v and decodes the reply into out.
func (c *Client) PostJSON(ctx context.Context, path string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	do := c.http.Do
	resp, err := do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Healthy reports whether the upstream answers its health check.
func (c *Client) Healthy() bool {
	get := c.http.Get
	resp, _ := get(c.base + "/healthz")
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// fetch returns the body at path.
func (c *Client) fetch(path string) ([]byte, error) {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

type result struct {
	body []byte
	err  error
}

type call struct {
	path string
	done chan result
}

// FetchWithin returns the body at path, giving up after d.
func (c *Client) FetchWithin(path string, d time.Duration) ([]byte, error) {
	cl := &call{path: path, done: make(chan result)}
	go func() {
		b, err := c.fetch(cl.path)
		cl.done <- result{b, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-cl.done:
		return r.body, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("fetch %s: no answer within %s", path, d)
	}
}

// FetchWithinBuffered is FetchWithin with room for the late answer.
func (c *Client) FetchWithinBuffered(path string, d time.Duration) ([]byte, error) {
	cl := &call{path: path, done: make(chan result, 1)}
	go func() {
		b, err := c.fetch(cl.path)
		cl.done <- result{b, err}
	}()
	select {
	case r := <-cl.done:
		return r.body, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("fetch %s: no answer within %s", path, d)
	}
}

// FetchFirst asks every mirror and returns the first good answer. The channel
// has room for every mirror, so the losers never block.
func FetchFirst(ctx context.Context, mirrors []*Client, path string) ([]byte, error) {
	if len(mirrors) == 0 {
		return nil, errors.New("fetch: no mirrors")
	}
	answers := make(chan result, len(mirrors))
	for _, m := range mirrors {
		go func() {
			b, err := m.fetch(path)
			answers <- result{b, err}
		}()
	}
	var errs []error
	for range mirrors {
		select {
		case r := <-answers:
			if r.err == nil {
				return r.body, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}
