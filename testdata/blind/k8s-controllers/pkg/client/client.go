// Package client is a minimal REST client for the widgets API.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

// APIError is a non-2xx answer of the API server.
type APIError struct {
	Code    int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("api server: %d %s", e.Code, e.Message)
}

// Conflict reports whether the write lost an optimistic-concurrency race.
func (e *APIError) Conflict() bool { return e.Code == http.StatusConflict }

// NotFound reports whether the object does not exist.
func (e *APIError) NotFound() bool { return e.Code == http.StatusNotFound }

// Client talks to the widgets API.
type Client struct {
	base      *url.URL
	token     string
	http      *http.Client
	userAgent string
}

// New returns a client for the API server at base.
func New(base, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil {
		return nil, fmt.Errorf("client: bad server URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("client: unsupported scheme %q", u.Scheme)
	}
	return &Client{
		base:      u,
		token:     token,
		http:      &http.Client{Timeout: 30 * time.Second},
		userAgent: "widget-controller/1.0",
	}, nil
}

func widgetsPath(namespace string) string {
	if namespace == "" {
		return "/apis/example.com/v1/widgets"
	}
	return "/apis/example.com/v1/namespaces/" + url.PathEscape(namespace) + "/widgets"
}

func widgetPath(namespace, name string) string {
	return widgetsPath(namespace) + "/" + url.PathEscape(name)
}

func (c *Client) newRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

// roundTrip sends req and annotates transport errors with the request.
func (c *Client) roundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", req.Method, req.URL.Path, err)
	}
	return resp, nil
}

func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	msg := strings.TrimSpace(string(b))
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &APIError{Code: resp.StatusCode, Message: msg}
}

// Get fetches one widget by key.
func (c *Client) Get(ctx context.Context, key string) (*api.Widget, error) {
	ns, name, err := api.SplitKey(key)
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, widgetPath(ns, name), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.roundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	return api.DecodeWidget(resp.Body)
}

// List returns every widget of a namespace ("" for all) and the list's
// resource version.
func (c *Client) List(ctx context.Context, namespace string) ([]*api.Widget, string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, widgetsPath(namespace), nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := c.roundTrip(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", decodeError(resp)
	}
	l, err := api.DecodeList(resp.Body)
	if err != nil {
		return nil, "", err
	}
	return l.Items, l.ResourceVersion, nil
}

// Update writes the whole widget and returns the stored version.
func (c *Client) Update(ctx context.Context, w *api.Widget) (*api.Widget, error) {
	req, err := c.newRequest(ctx, http.MethodPut, widgetPath(w.Namespace, w.Name), w)
	if err != nil {
		return nil, err
	}
	resp, err := c.roundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	return api.DecodeWidget(resp.Body)
}

// UpdateStatus writes the status subresource.
func (c *Client) UpdateStatus(ctx context.Context, w *api.Widget) error {
	req, err := c.newRequest(ctx, http.MethodPut, widgetPath(w.Namespace, w.Name)+"/status", w)
	if err != nil {
		return err
	}
	resp, err := c.roundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Delete removes a widget; a missing widget is not an error.
func (c *Client) Delete(ctx context.Context, key string) error {
	ns, name, err := api.SplitKey(key)
	if err != nil {
		return err
	}
	req, err := c.newRequest(ctx, http.MethodDelete, widgetPath(ns, name), nil)
	if err != nil {
		return err
	}
	resp, err := c.roundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent, http.StatusNotFound:
		return nil
	}
	return decodeError(resp)
}

// GetMany fetches several widgets concurrently.
func (c *Client) GetMany(ctx context.Context, keys []string) ([]*api.Widget, error) {
	type result struct {
		w   *api.Widget
		err error
	}
	results := make(chan result)
	for _, key := range keys {
		go func() {
			w, err := c.Get(ctx, key)
			results <- result{w: w, err: err} // HAZ goroutine-blocked-send
		}()
	}
	out := make([]*api.Widget, 0, len(keys))
	for range keys {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.w)
	}
	return out, nil
}

// GetManyOrdered fetches several widgets concurrently and returns them in
// key order; it stops at the first error without leaking fetchers.
func (c *Client) GetManyOrdered(ctx context.Context, keys []string) ([]*api.Widget, error) {
	type result struct {
		i   int
		w   *api.Widget
		err error
	}
	results := make(chan result, len(keys))
	for i, key := range keys {
		go func() {
			w, err := c.Get(ctx, key)
			results <- result{i: i, w: w, err: err}
		}()
	}
	out := make([]*api.Widget, len(keys))
	for range keys {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		out[r.i] = r.w
	}
	return out, nil
}

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.NotFound()
}

// Exists reports which keys exist, checking them concurrently.
func (c *Client) Exists(ctx context.Context, keys []string) map[string]bool {
	type found struct {
		key string
		ok  bool
	}
	results := make(chan found, len(keys))
	defer close(results)
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Get(ctx, key)
			results <- found{key: key, ok: err == nil}
		}()
	}
	wg.Wait()
	out := make(map[string]bool, len(keys))
	for range keys {
		r := <-results
		out[r.key] = r.ok
	}
	return out
}
