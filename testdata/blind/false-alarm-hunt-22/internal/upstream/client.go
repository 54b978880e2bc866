// Package upstream is the relay's client for the catalogue backend: JSON
// calls, fan-out fetches, pagination and health probing.
package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

const maxBody = 4 << 20

// StatusError reports a non-2xx answer.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("upstream %s: status %d", e.URL, e.Code)
}

// Client calls one backend base URL.
type Client struct {
	hc            *http.Client
	base          string
	ua            string
	fanoutTimeout time.Duration
	lg            *log.Logger
}

// NewClient returns a client for base whose calls time out after timeout.
func NewClient(base string, timeout time.Duration, lg *log.Logger) *Client {
	return &Client{
		hc: &http.Client{
			Timeout: timeout,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 32,
				IdleConnTimeout:     90 * time.Second,
			},
		},
		base:          strings.TrimRight(base, "/"),
		ua:            "fah22-relay/1.0",
		fanoutTimeout: 3 * timeout,
		lg:            lg,
	}
}

// do sets the common headers and sends req.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", c.ua)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	return c.hc.Do(req)
}

// get issues a GET and returns the response only for 2xx statuses; the
// caller owns resp.Body.
func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, &StatusError{Code: resp.StatusCode, URL: req.URL.String()}
	}
	return resp, nil
}

// GetJSON decodes the JSON answer to GET path into out.
func (c *Client) GetJSON(ctx context.Context, path string, out any) error {
	resp, err := c.get(ctx, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out)
}

func (c *Client) fetchBytes(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.get(ctx, path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// Send issues method on path with body (if not nil) encoded as JSON and
// discards the answer.
func (c *Client) Send(ctx context.Context, method, path string, body any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode/100 != 2 {
		return &StatusError{Code: resp.StatusCode, URL: req.URL.String()}
	}
	return nil
}

// PostEvent reports a domain event to the backend's event intake.
func (c *Client) PostEvent(ctx context.Context, kind string, payload any) error {
	body, err := json.Marshal(map[string]any{"kind": kind, "payload": payload, "at": time.Now().UTC()})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/events", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("post event %s: %w", kind, err)
	}
	if resp.StatusCode != http.StatusAccepted {
		return &StatusError{Code: resp.StatusCode, URL: req.URL.String()}
	}
	return nil
}
