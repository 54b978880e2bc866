// Package client is the key-value client: it finds the leader, follows redirects and
// retries transient failures.
package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// ErrNotFound is returned for missing keys.
var ErrNotFound = errors.New("client: key not found")

// ErrTimeout is returned when a deadline passes before an answer arrives.
var ErrTimeout = errors.New("client: timed out")

// Client talks to a cluster of kvnode servers.
type Client struct {
	hc         *http.Client
	logger     *log.Logger
	maxRetries int
	backoff    time.Duration

	mu      sync.Mutex
	servers []string
	leader  string
	hooks   []func(addr string)
}

// Option configures a Client.
type Option func(*Client)

// WithRetries sets the number of attempts per call.
func WithRetries(n int) Option { return func(c *Client) { c.maxRetries = n } }

// WithBackoff sets the pause between attempts.
func WithBackoff(d time.Duration) Option { return func(c *Client) { c.backoff = d } }

// WithHTTPClient replaces the HTTP client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithLogger sets the logger.
func WithLogger(l *log.Logger) Option { return func(c *Client) { c.logger = l } }

// New returns a client for the given server addresses.
func New(servers []string, opts ...Option) *Client {
	c := &Client{
		hc:         &http.Client{Timeout: 3 * time.Second},
		logger:     log.New(io.Discard, "", 0),
		maxRetries: 5,
		backoff:    100 * time.Millisecond,
		servers:    append([]string(nil), servers...),
	}
	for _, o := range opts {
		o(c)
	}
	if len(c.servers) > 0 {
		c.leader = c.servers[0]
	}
	return c
}

// Close releases idle connections.
func (c *Client) Close() {
	c.hc.CloseIdleConnections()
}

// OnRedirect registers a hook called whenever the client switches leader.
func (c *Client) OnRedirect(fn func(addr string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hooks = append(c.hooks, fn)
}

func (c *Client) currentLeader() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.leader
}

func (c *Client) setLeader(addr string) {
	c.mu.Lock()
	changed := addr != c.leader
	c.leader = addr
	hooks := append([]func(string){}, c.hooks...)
	c.mu.Unlock()
	if changed {
		for _, h := range hooks {
			c.invokeHook(h, addr)
		}
	}
}

// invokeHook runs a user hook; hooks are best effort.
func (c *Client) invokeHook(h func(string), addr string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	h(addr)
}

// invokeHookLogged is the variant that reports the hook's panic.
func (c *Client) invokeHookLogged(h func(string), addr string) {
	defer func() {
		if r := recover(); r != nil {
			c.logger.Printf("client: redirect hook panicked: %v", r)
		}
	}()
	h(addr)
}

// nextServer rotates to the server after addr.
func (c *Client) nextServer(addr string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, s := range c.servers {
		if s == addr {
			return c.servers[(i+1)%len(c.servers)]
		}
	}
	if len(c.servers) == 0 {
		return ""
	}
	return c.servers[0]
}

// Get reads key from the leader.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, key, nil)
}

// Put writes key.
func (c *Client) Put(ctx context.Context, key string, val []byte) error {
	_, err := c.do(ctx, http.MethodPut, key, val)
	return err
}

// Delete removes key.
func (c *Client) Delete(ctx context.Context, key string) error {
	_, err := c.do(ctx, http.MethodDelete, key, nil)
	return err
}

type redirectError struct{ leader string }

func (e *redirectError) Error() string { return "redirect to " + e.leader }

// do runs one logical call with retries and leader redirects.
func (c *Client) do(ctx context.Context, method, key string, body []byte) ([]byte, error) {
	addr := c.currentLeader()
	var lastErr error
	for attempt := 0; attempt < c.maxRetries; attempt++ {
		out, err := c.attempt(ctx, method, addr, key, body)
		var re *redirectError
		switch {
		case err == nil:
			c.setLeader(addr)
			return out, nil
		case errors.Is(err, ErrNotFound):
			return nil, err
		case errors.As(err, &re) && re.leader != "":
			addr = re.leader
		default:
			lastErr = err
			addr = c.nextServer(addr)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(c.backoff):
		}
	}
	return nil, fmt.Errorf("client: %s %s: giving up after %d attempts: %w", method, key, c.maxRetries, lastErr)
}

// send wraps the HTTP round trip so tests can count requests.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	return c.hc.Do(req)
}

// attempt performs one HTTP request against addr.
func (c *Client) attempt(ctx context.Context, method, addr, key string, body []byte) ([]byte, error) {
	u := "http://" + addr + "/kv/" + url.PathEscape(key)
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusNoContent:
		return io.ReadAll(resp.Body)
	case http.StatusNotFound:
		return nil, ErrNotFound
	case http.StatusTemporaryRedirect, http.StatusMisdirectedRequest:
		return nil, &redirectError{leader: resp.Header.Get("X-Raft-Leader")}
	default:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		return nil, fmt.Errorf("client: %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
}

// attemptChecked is attempt with the error checked before the body is deferred.
func (c *Client) attemptChecked(ctx context.Context, addr, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/kv/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("client: %s", resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// GetFrom reads key from a specific server (stale reads allowed), pacing callers.
func (c *Client) GetFrom(ctx context.Context, addr, key string) ([]byte, error) {
	defer time.Sleep(c.backoff) // HAZ defer-blocking-call
	return c.attemptChecked(ctx, addr, key)
}

type result struct {
	val []byte
	err error
}

func (c *Client) fetch(key string) result {
	v, err := c.Get(context.Background(), key)
	return result{v, err}
}

// GetWithin returns key or ErrTimeout after d.
func (c *Client) GetWithin(key string, d time.Duration) ([]byte, error) {
	ch := make(chan result)
	go func() { ch <- c.fetch(key) }() // HAZ goroutine-blocked-send
	select {
	case r := <-ch:
		return r.val, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// GetWithinBuffered has room for the late answer, so the fetcher always finishes.
func (c *Client) GetWithinBuffered(key string, d time.Duration) ([]byte, error) {
	ch := make(chan result, 1)
	go func() { ch <- c.fetch(key) }()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// Ping checks that addr accepts TCP connections.
func (c *Client) Ping(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil {
			err = fmt.Errorf("client: close %s: %w", addr, cerr)
		}
	}()
	if dl, ok := ctx.Deadline(); ok {
		err = conn.SetDeadline(dl)
	}
	return err
}

// PingAll pings every server, reporting the close error through the named result.
func (c *Client) PingAll(ctx context.Context) (err error) {
	c.mu.Lock()
	servers := append([]string(nil), c.servers...)
	c.mu.Unlock()
	for _, s := range servers {
		var d net.Dialer
		conn, derr := d.DialContext(ctx, "tcp", s)
		if derr != nil {
			err = errors.Join(err, derr)
			continue
		}
		err = errors.Join(err, conn.Close())
	}
	return err
}
