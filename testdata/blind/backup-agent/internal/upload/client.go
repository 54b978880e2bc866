// Package upload sends pack files to an HTTP object store: a small
// S3-flavoured API of PUT/GET/HEAD/DELETE on /objects/<key> plus leases.
package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Client talks to the object store.
type Client struct {
	base    *url.URL
	mirrors []*url.URL
	hc      *http.Client
	token   string
	retries int
	backoff time.Duration
	timeout time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithRetries sets how many times a failed request is retried.
func WithRetries(n int) Option { return func(c *Client) { c.retries = n } }

// WithTimeout sets the per-attempt timeout.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithToken sets the bearer token sent with every request.
func WithToken(tok string) Option { return func(c *Client) { c.token = tok } }

// WithMirror adds a read-only mirror of the store used by HedgedGet.
func WithMirror(u *url.URL) Option { return func(c *Client) { c.mirrors = append(c.mirrors, u) } }

// NewClient returns a client for the store at base.
func NewClient(base string, opts ...Option) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("upload: bad store URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("upload: store URL %q must be http or https", base)
	}
	c := &Client{
		base:    u,
		hc:      &http.Client{},
		retries: 3,
		backoff: 500 * time.Millisecond,
		timeout: 2 * time.Minute,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// StatusError is an unexpected HTTP status.
type StatusError struct {
	Op   string
	Key  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("upload: %s %s: HTTP %d", e.Op, e.Key, e.Code)
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key     string
	Size    int64
	ETag    string
	ModTime time.Time
}

func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF)
}

func objectURL(base *url.URL, key string) string {
	u := *base
	u.Path = path.Join(u.Path, "objects", key)
	return u.String()
}

func (c *Client) newRequest(ctx context.Context, base *url.URL, method, key string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, objectURL(base, key), body)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// do sends a request with the client's headers and user agent.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "backupd/1")
	return c.hc.Do(req)
}

// wait sleeps before retry attempt n with exponential backoff.
func (c *Client) wait(ctx context.Context, attempt int) error {
	d := c.backoff << (attempt - 1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Put stores body under key, retrying transient failures. Every attempt gets
// its own timeout.
func (c *Client) Put(ctx context.Context, key string, body []byte) error {
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 {
			if err := c.wait(ctx, attempt); err != nil {
				return err
			}
		}
		err := func() error {
			actx, cancel := context.WithTimeout(ctx, c.timeout)
			defer cancel()
			req, err := c.newRequest(actx, c.base, http.MethodPut, key, bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.ContentLength = int64(len(body))
			resp, err := c.do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
			if resp.StatusCode/100 != 2 {
				return &StatusError{Op: "put", Key: key, Code: resp.StatusCode}
			}
			return nil
		}()
		if err == nil {
			return nil
		}
		if !retryable(err) {
			return err
		}
		lastErr = err
	}
	return fmt.Errorf("upload %s: giving up after %d attempts: %w", key, c.retries+1, lastErr)
}

// PutStream stores size bytes from r under key in a single attempt (the
// reader cannot be rewound for a retry).
func (c *Client) PutStream(ctx context.Context, key string, r io.Reader, size int64) error {
	req, err := c.newRequest(ctx, c.base, http.MethodPut, key, r)
	if err != nil {
		return err
	}
	req.ContentLength = size
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &StatusError{Op: "put", Key: key, Code: resp.StatusCode}
	}
	return nil
}

// Get fetches the object stored under key, retrying transient failures.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 {
			if err := c.wait(ctx, attempt); err != nil {
				return nil, err
			}
		}
		data, err := c.getFrom(ctx, c.base, key)
		if err == nil {
			return data, nil
		}
		if !retryable(err) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("download %s: giving up: %w", key, lastErr)
}

func (c *Client) getFrom(ctx context.Context, base *url.URL, key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(ctx, base, http.MethodGet, key, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Op: "get", Key: key, Code: resp.StatusCode}
	}
	return io.ReadAll(resp.Body)
}

// Stat returns the metadata of an object without downloading it.
func (c *Client) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	req, err := c.newRequest(ctx, c.base, http.MethodHead, key, nil)
	if err != nil {
		return ObjectInfo{}, err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return ObjectInfo{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return ObjectInfo{}, &StatusError{Op: "stat", Key: key, Code: resp.StatusCode}
	}
	info := ObjectInfo{Key: key, ETag: resp.Header.Get("ETag")}
	info.Size, _ = strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	info.ModTime, _ = http.ParseTime(resp.Header.Get("Last-Modified"))
	return info, nil
}

// Delete removes one object. A missing object is not an error.
func (c *Client) Delete(ctx context.Context, key string) error {
	req, err := c.newRequest(ctx, c.base, http.MethodDelete, key, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
		return &StatusError{Op: "delete", Key: key, Code: resp.StatusCode}
	}
	return nil
}

// DeleteMany removes objects one after the other (prune of whole packs) and
// returns how many were deleted before the first failure.
func (c *Client) DeleteMany(ctx context.Context, keys []string) (int, error) {
	deleted := 0
	for _, key := range keys {
		req, err := c.newRequest(ctx, c.base, http.MethodDelete, key, nil)
		if err != nil {
			return deleted, err
		}
		resp, err := c.do(req)
		if err != nil {
			return deleted, fmt.Errorf("delete %s: %w", key, err)
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
			return deleted, &StatusError{Op: "delete", Key: key, Code: resp.StatusCode}
		}
		deleted++
	}
	return deleted, nil
}

// List returns the keys below prefix.
func (c *Client) List(ctx context.Context, prefix string) ([]string, error) {
	u := *c.base
	u.Path = path.Join(u.Path, "objects") + "/"
	u.RawQuery = url.Values{"prefix": {prefix}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Op: "list", Key: prefix, Code: resp.StatusCode}
	}
	var keys []string
	if err := json.NewDecoder(resp.Body).Decode(&keys); err != nil {
		return nil, fmt.Errorf("upload: list %s: %w", prefix, err)
	}
	return keys, nil
}

// HedgedGet asks the primary store for key and, each time delay passes
// without an answer, one more mirror; the first successful answer wins.
func (c *Client) HedgedGet(ctx context.Context, key string, delay time.Duration) ([]byte, error) {
	bases := append([]*url.URL{c.base}, c.mirrors...)
	type answer struct {
		data []byte
		err  error
	}
	answers := make(chan answer, len(bases))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var lastErr error
	pending := 0
	var i int
	for i = 0; i < len(bases); i++ {
		go func() { // HAZ loop-var-capture
			data, err := c.getFrom(ctx, bases[i], key)
			answers <- answer{data, err}
		}()
		pending++
		t := time.NewTimer(delay)
		select {
		case a := <-answers:
			t.Stop()
			pending--
			if a.err == nil {
				return a.data, nil
			}
			lastErr = a.err
		case <-t.C:
		}
	}
	for ; pending > 0; pending-- {
		a := <-answers
		if a.err == nil {
			return a.data, nil
		}
		lastErr = a.err
	}
	return nil, fmt.Errorf("download %s: every copy failed: %w", key, lastErr)
}

// StatAll stats many objects concurrently (verify -remote).
func (c *Client) StatAll(ctx context.Context, keys []string) (map[string]ObjectInfo, error) {
	type result struct {
		info ObjectInfo
		err  error
	}
	results := make(chan result, len(keys))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, k := range keys {
		go func() {
			info, err := c.Stat(ctx, k)
			results <- result{info, err}
		}()
	}
	out := make(map[string]ObjectInfo, len(keys))
	for range keys {
		select {
		case r := <-results:
			if r.err != nil {
				return nil, r.err
			}
			out[r.info.Key] = r.info
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// putWithDeadline enforces an overall deadline on an upload even when a
// misbehaving proxy keeps the connection open past the request context.
func (c *Client) putWithDeadline(ctx context.Context, key string, body []byte, d time.Duration) error {
	done := make(chan error)
	go func() {
		done <- c.Put(ctx, key, body) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("upload %s: deadline of %s exceeded", key, d)
	}
}

func (c *Client) leaseURL(id string) string {
	u := *c.base
	u.Path = path.Join(u.Path, "leases", id)
	return u.String()
}

// acquireLease takes the bucket's writer lease for owner.
func (c *Client) acquireLease(ctx context.Context, owner string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.leaseURL(""), strings.NewReader(owner))
	if err != nil {
		return "", err
	}
	resp, err := c.do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", &StatusError{Op: "lease", Key: owner, Code: resp.StatusCode}
	}
	id, err := io.ReadAll(io.LimitReader(resp.Body, 128))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(id)), nil
}

// releaseLease gives the lease back.
func (c *Client) releaseLease(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.leaseURL(id), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return &StatusError{Op: "release", Key: id, Code: resp.StatusCode}
	}
	return nil
}

// WithLease runs fn while holding the bucket's writer lease.
func (c *Client) WithLease(ctx context.Context, owner string, fn func(context.Context) error) error {
	id, err := c.acquireLease(ctx, owner)
	if err != nil {
		return err
	}
	defer c.releaseLease(ctx, id) // HAZ defer-blocking-call
	return fn(ctx)
}
