package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// Observer records one client call.
type Observer func(method string, start time.Time, err error)

// Client is a JSON-over-HTTP client.
type Client struct {
	hc      *http.Client
	base    string
	observe Observer
}

// NewClient returns a client for the service at base.
func NewClient(base string, observe Observer) *Client {
	if observe == nil {
		observe = func(string, time.Time, error) {}
	}
	return &Client{hc: &http.Client{Timeout: 30 * time.Second}, base: base, observe: observe}
}

// Do sends req and records the call. The caller closes the response body.
func (c *Client) Do(ctx context.Context, req *http.Request) (resp *http.Response, err error) {
	start := time.Now()
	defer c.observe(req.Method, start, err) // HAZ defer-eager-evaluation
	resp, err = c.hc.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	return resp, nil
}

// Send is Do for callers that want the body read and closed for them.
func (c *Client) Send(ctx context.Context, req *http.Request) (body []byte, err error) {
	start := time.Now()
	defer func() { c.observe(req.Method, start, err) }()
	resp, err := c.hc.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	return body, nil
}

// GetJSON decodes the JSON document at path into v.
func (c *Client) GetJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// PutJSON stores v at path.
func (c *Client) PutJSON(ctx context.Context, path string, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPut, c.base+path, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	_, err = c.Send(ctx, req)
	return err
}

// Download saves the resource at path to the file dst. A failed write or
// close is returned, and the partial file is removed.
func (c *Client) Download(ctx context.Context, path, dst string) (err error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
		if err != nil {
			os.Remove(dst)
		}
	}()
	_, err = io.Copy(f, resp.Body)
	return err
}
