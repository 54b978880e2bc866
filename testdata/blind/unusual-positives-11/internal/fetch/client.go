// Package fetch is a small generic HTTP client for the up11 item service,
// plus the HTTP handlers that front it.
package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrStatus marks a non-2xx response.
var ErrStatus = errors.New("unexpected status")

// FetchError carries the request path and status through the error chain.
type FetchError struct {
	Path   string
	Status int
	Err    error
}

func (e *FetchError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("fetch %s: status %d: %v", e.Path, e.Status, e.Err)
	}
	return fmt.Sprintf("fetch %s: %v", e.Path, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// Decoder turns a response body into a T.
type Decoder[T any] func(io.Reader) (T, error)

// JSON returns a Decoder for JSON bodies.
func JSON[T any]() Decoder[T] {
	return func(r io.Reader) (T, error) {
		var v T
		err := json.NewDecoder(r).Decode(&v)
		return v, err
	}
}

// Client fetches and decodes Ts from one base URL.
type Client[T any] struct {
	hc      *http.Client
	base    string
	decode  Decoder[T]
	timeout time.Duration
}

// ClientOption configures a Client.
type ClientOption[T any] func(*Client[T])

// WithHTTPClient replaces the default http.Client.
func WithHTTPClient[T any](hc *http.Client) ClientOption[T] {
	return func(c *Client[T]) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithTimeout bounds every request.
func WithTimeout[T any](d time.Duration) ClientOption[T] {
	return func(c *Client[T]) { c.timeout = d }
}

// NewClient returns a client for base.
func NewClient[T any](base string, dec Decoder[T], opts ...ClientOption[T]) *Client[T] {
	c := &Client[T]{hc: http.DefaultClient, base: base, decode: dec, timeout: 10 * time.Second}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Base returns the base URL.
func (c *Client[T]) Base() string { return c.base }

// Fetch GETs path and decodes the body.
func (c *Client[T]) Fetch(ctx context.Context, path string) (T, error) {
	var zero T
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return zero, &FetchError{Path: path, Err: err}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return zero, &FetchError{Path: path, Err: fmt.Errorf("do: %w", err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return zero, &FetchError{Path: path, Status: resp.StatusCode, Err: ErrStatus}
	}
	v, err := c.decode(resp.Body)
	if err != nil {
		return zero, &FetchError{Path: path, Err: fmt.Errorf("decode: %w", err)}
	}
	return v, nil
}

// Stream GETs path, whose body is a sequence of JSON values, and calls fn
// for each one.
func (c *Client[T]) Stream(ctx context.Context, path string, fn func(T) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return &FetchError{Path: path, Err: err}
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return &FetchError{Path: path, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return &FetchError{Path: path, Status: resp.StatusCode, Err: ErrStatus}
	}
	dec := json.NewDecoder(resp.Body)
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return &FetchError{Path: path, Err: fmt.Errorf("decode: %w", err)}
		}
		if err := fn(v); err != nil {
			return fmt.Errorf("stream %s: %w", path, err)
		}
	}
	return nil
}

// send adds the standard headers and performs req. On error the response
// is nil.
func (c *Client[T]) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "up11-fetch/1")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("do %s %s: %w", req.Method, req.URL.Path, err)
	}
	return resp, nil
}

// Open GETs path and returns the raw body. The deferred close is guarded so
// it only runs when the body has not been handed to the caller.
func (c *Client[T]) Open(ctx context.Context, path string) (body io.ReadCloser, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, &FetchError{Path: path, Err: err}
	}
	resp, err := c.hc.Do(req)
	defer func() {
		if err != nil && resp != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return nil, &FetchError{Path: path, Err: fmt.Errorf("do: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &FetchError{Path: path, Status: resp.StatusCode, Err: ErrStatus}
	}
	return resp.Body, nil
}
