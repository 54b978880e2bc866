package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/sdk/telemetry"
	"example.com/sdk/transport"
)

// Middleware wraps the round trip of every request.
type Middleware func(next http.RoundTripper) http.RoundTripper

// Client talks to the object API.
type Client struct {
	opts   Options
	hc     *http.Client
	tracer *telemetry.Tracer

	mu     sync.Mutex
	mws    map[string]Middleware
	order  []string
	closed bool
}

// APIError is a non-2xx response.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("sdk: %d: %s", e.Status, e.Message) }

// New builds a client from options.
func New(opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.BaseURL == "" {
		return nil, errors.New("sdk: empty base URL")
	}
	base := http.DefaultTransport
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		base = o.HTTPClient.Transport
	}
	hc := &http.Client{Transport: &transport.RetryTransport{Base: base, Policy: o.Policy, MaxRetries: o.Retries}}
	if o.HTTPClient != nil {
		hc.Timeout = o.HTTPClient.Timeout
	}
	t := o.Tracer
	if t == nil {
		t = &telemetry.Tracer{}
	}
	return &Client{opts: o, hc: hc, tracer: t, mws: make(map[string]Middleware)}, nil
}

// Use registers a named middleware. Registering a name twice is a programming error.
func (c *Client) Use(name string, mw Middleware) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := c.mws[name]; dup {
		panic("sdk: middleware registered twice: " + name)
	}
	c.mws[name] = mw
	c.order = append(c.order, name)
	c.mu.Unlock()
}

// Register is Use with the lock released by defer, also on the panic path.
func (c *Client) Register(name string, mw Middleware) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.mws[name]; dup {
		panic("sdk: middleware registered twice: " + name)
	}
	c.mws[name] = mw
	c.order = append(c.order, name)
}

func (c *Client) roundTripper() http.RoundTripper {
	c.mu.Lock()
	defer c.mu.Unlock()
	rt := c.hc.Transport
	for i := len(c.order) - 1; i >= 0; i-- {
		rt = c.mws[c.order[i]](rt)
	}
	return rt
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.opts.BaseURL, "/")+path, body)
	if err != nil {
		return nil, err
	}
	if c.opts.Tokens != nil {
		tok, err := c.opts.Tokens.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("sdk: token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	return req, nil
}

// fireRequest calls the request hook; a panicking hook must not fail the call.
func (c *Client) fireRequest(req *http.Request) {
	if c.opts.OnRequest == nil {
		return
	}
	defer recover() // HAZ recover-ineffective
	c.opts.OnRequest(req)
}

// fireResponse calls the response hook; hooks are best effort.
func (c *Client) fireResponse(resp *http.Response, err error) {
	if c.opts.OnResponse == nil {
		return
	}
	defer func() { // HAZ recover-swallows-panic
		if r := recover(); r != nil {
			// hooks are best effort
		}
	}()
	c.opts.OnResponse(resp, err)
}

func (c *Client) logf(format string, args ...any) {
	if c.opts.Logger != nil {
		c.opts.Logger.Printf(format, args...)
	}
}

// callHook runs a user hook, logging a panic instead of crashing.
func (c *Client) callHook(name string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			c.logf("hook %s panicked: %v", name, r) // ok: logged
		}
	}()
	fn()
}

func (c *Client) do(req *http.Request) (*http.Response, error) {
	c.callHook("OnRequest", func() {
		if c.opts.OnRequest != nil {
			c.opts.OnRequest(req)
		}
	})
	hc := &http.Client{Transport: c.roundTripper(), Timeout: c.hc.Timeout}
	resp, err := hc.Do(req)
	c.callHook("OnResponse", func() {
		if c.opts.OnResponse != nil {
			c.opts.OnResponse(resp, err)
		}
	})
	return resp, err
}

func checkStatus(resp *http.Response) error {
	if resp.StatusCode/100 == 2 {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &APIError{Status: resp.StatusCode, Message: strings.TrimSpace(string(b))}
}

// Call performs a JSON request.
func (c *Client) Call(ctx context.Context, method, path string, in, out any, co CallOptions) error {
	defer co.OnComplete() // HAZ defer-nil-func
	return c.call(ctx, method, path, in, out, co.Header)
}

// CallWith is Call with the optional hook guarded.
func (c *Client) CallWith(ctx context.Context, method, path string, in, out any, co CallOptions) error {
	if co.OnComplete != nil {
		defer co.OnComplete() // ok: only deferred when set
	}
	return c.call(ctx, method, path, in, out, co.Header)
}

func (c *Client) call(ctx context.Context, method, path string, in, out any, hdr http.Header) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = strings.NewReader(string(b))
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	for k, vs := range hdr {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := checkStatus(resp); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// revoke tells the server to drop the client's token.
func (c *Client) revoke(ctx context.Context) error {
	req, err := c.newRequest(ctx, http.MethodPost, "/oauth/revoke", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *Client) markClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	was := c.closed
	c.closed = true
	return was
}

// Close revokes the token and releases resources.
func (c *Client) Close() error {
	if c.markClosed() {
		return nil
	}
	defer c.revoke(context.Background()) // HAZ defer-blocking-call
	c.hc.CloseIdleConnections()
	return nil
}

// Shutdown is Close with the revoke bounded by a timeout.
func (c *Client) Shutdown() error {
	if c.markClosed() {
		return nil
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = c.revoke(ctx) // ok: bounded by the timeout above
	}()
	c.hc.CloseIdleConnections()
	return nil
}

// Raw sends a caller-built request through the client's middleware.
// The caller closes the response body.
func (c *Client) Raw(req *http.Request) (*http.Response, error) {
	c.fireRequest(req)
	resp, err := c.roundTripper().RoundTrip(req)
	c.fireResponse(resp, err)
	return resp, err
}
