// Package sdk is the Go client for the items API.
package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Item mirrors the server's item.
type Item struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Tags    []string  `json:"tags,omitempty"`
	Updated time.Time `json:"updated"`
}

// APIError is a non-2xx answer.
type APIError struct {
	Status int
	Body   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("api: %d %s", e.Status, strings.TrimSpace(e.Body))
}

// Client talks to one API base URL.
type Client struct {
	base       *url.URL
	hc         *http.Client
	token      string
	maxRetries int
	backoff    time.Duration
	logger     *log.Logger
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the default http.Client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithToken sets the bearer token.
func WithToken(tok string) Option { return func(c *Client) { c.token = tok } }

// WithRetries sets the retry budget for idempotent requests.
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *Client) { c.maxRetries, c.backoff = n, backoff }
}

// WithLogger enables debug tracing.
func WithLogger(l *log.Logger) Option { return func(c *Client) { c.logger = l } }

// New returns a client for base.
func New(base string, opts ...Option) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, hc: &http.Client{Timeout: 30 * time.Second}, maxRetries: 2, backoff: 100 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// trace logs the start of op and returns the func that logs its end.
func (c *Client) trace(op string) func() {
	if c.logger == nil {
		return func() {}
	}
	start := time.Now()
	c.logger.Printf("sdk: %s start", op)
	return func() { c.logger.Printf("sdk: %s done in %v", op, time.Since(start)) }
}

func (c *Client) newRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	u := c.base.ResolveReference(&url.URL{Path: path})
	var rd io.Reader
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		raw = b
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusBadGateway ||
		code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// do sends req, retrying transport errors and retryable statuses. The
// caller owns the returned body.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = b
		}
		resp, err := c.hc.Do(req)
		if err == nil && !retryable(resp.StatusCode) {
			return resp, nil
		}
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close() // ok: closed before the next attempt, not deferred
			err = &APIError{Status: resp.StatusCode}
		}
		if attempt >= c.maxRetries || (req.Body != nil && req.GetBody == nil) {
			return nil, err
		}
		t := time.NewTimer(c.backoff << attempt)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		}
	}
}

func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return &APIError{Status: resp.StatusCode, Body: string(b)}
}

// GetItem fetches one item.
func (c *Client) GetItem(ctx context.Context, id string) (*Item, error) {
	defer c.trace("GetItem")() // ok: the returned func is deferred
	req, err := c.newRequest(ctx, http.MethodGet, "/items/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	var it Item
	if err := json.NewDecoder(resp.Body).Decode(&it); err != nil {
		return nil, err
	}
	return &it, nil
}

// PutItem creates or replaces it.
func (c *Client) PutItem(ctx context.Context, it Item) error {
	defer c.trace("PutItem") // HAZ defer-func-result-not-called
	req, err := c.newRequest(ctx, http.MethodPut, "/items/"+url.PathEscape(it.ID), it)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	return nil
}

// DeleteItem removes id.
func (c *Client) DeleteItem(ctx context.Context, id string) error {
	req, err := c.newRequest(ctx, http.MethodDelete, "/items/"+url.PathEscape(id), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return decodeError(resp)
	}
	return nil
}
