// Package fetch is the HTTP client for the remote blob store.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"
)

// ErrTimeout is returned by GetWithTimeout when the deadline passes.
var ErrTimeout = errors.New("fetch: timed out")

// Limiter bounds the number of concurrent transfers.
type Limiter struct{ slots chan struct{} }

// NewLimiter returns a limiter admitting n concurrent holders.
func NewLimiter(n int) *Limiter {
	return &Limiter{slots: make(chan struct{}, n)}
}

// Acquire waits for a free slot or for ctx to end.
func (l *Limiter) Acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free right now.
func (l *Limiter) TryAcquire() bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release frees a slot taken by Acquire or TryAcquire.
func (l *Limiter) Release() {
	select {
	case <-l.slots:
	default:
		panic("fetch: Release without Acquire")
	}
}

// Client talks to one blob store.
type Client struct {
	base     string
	hc       *http.Client
	limiter  *Limiter // optional
	parallel int
	logger   *log.Logger
}

// Option configures a Client.
type Option func(*Client)

// WithLimiter bounds concurrent uploads.
func WithLimiter(l *Limiter) Option { return func(c *Client) { c.limiter = l } }

// WithHTTPClient replaces the default HTTP client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// New returns a client for the store at base.
func New(base string, opts ...Option) *Client {
	c := &Client{
		base:     base,
		hc:       &http.Client{Timeout: 30 * time.Second},
		parallel: 8,
		logger:   log.Default(),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func (c *Client) logf(format string, args ...any) { c.logger.Printf("fetch: "+format, args...) }

func urlFor(base, key string) string { return base + "/blobs/" + url.PathEscape(key) }

// Get downloads key from the primary store.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	return c.getFrom(ctx, c.base, key)
}

// getFrom downloads key from the store at base.
func (c *Client) getFrom(ctx context.Context, base, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, urlFor(base, key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// drain discards up to 64 KiB of rc so the connection can be reused, then
// closes it.
func drain(rc io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	rc.Close()
}

// Head returns the size of key as reported by the store.
func (c *Client) Head(ctx context.Context, key string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, urlFor(c.base, key), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	defer drain(resp.Body) // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("head %s: %w", key, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("head %s: %s", key, resp.Status)
	}
	return strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
}

// Exists reports whether key is present in the store.
func (c *Client) Exists(ctx context.Context, key string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, urlFor(c.base, key), nil)
	if err != nil {
		return false, err
	}
	resp, err := c.hc.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return false, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	default:
		return false, fmt.Errorf("exists %s: %s", key, resp.Status)
	}
}

// Upload streams the file at path to key.
func (c *Client) Upload(ctx context.Context, key, path string) error {
	var release func()
	if c.limiter != nil {
		if err := c.limiter.Acquire(ctx); err != nil {
			return err
		}
		release = c.limiter.Release
	}
	defer release() // HAZ defer-nil-func

	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return c.put(ctx, key, f, st.Size())
}

// UploadBytes stores data under key.
func (c *Client) UploadBytes(ctx context.Context, key string, data []byte) error {
	release := func() {}
	if c.limiter != nil {
		if err := c.limiter.Acquire(ctx); err != nil {
			return err
		}
		release = c.limiter.Release
	}
	defer release()
	return c.put(ctx, key, bytes.NewReader(data), int64(len(data)))
}

// put sends one PUT request.
func (c *Client) put(ctx context.Context, key string, body io.Reader, size int64) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, urlFor(c.base, key), body)
	if err != nil {
		return err
	}
	req.ContentLength = size
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("put %s: %s", key, resp.Status)
	}
	return nil
}

// Download writes key to the file dst.
func (c *Client) Download(ctx context.Context, key, dst string) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, urlFor(c.base, key), nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", key, resp.Status)
	}

	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, resp.Body)
	return err
}

// GetWithTimeout is Get with a hard deadline that does not cancel the
// underlying request (useful to keep warming the connection pool).
func (c *Client) GetWithTimeout(ctx context.Context, key string, d time.Duration) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result)
	go func() {
		b, err := c.Get(ctx, key)
		ch <- result{b, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// GetFirst asks every mirror for key and returns the first success.
func (c *Client) GetFirst(ctx context.Context, mirrors []string, key string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, len(mirrors))
	for _, m := range mirrors {
		go func() {
			b, err := c.getFrom(ctx, m, key)
			ch <- result{b, err}
		}()
	}
	var errs []error
	for range mirrors {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.b, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// Ping checks that the store answers within d.
func (c *Client) Ping(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error)
	go func() {
		_, err := c.Exists(ctx, ".ping")
		select {
		case done <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("ping %s: %w", c.base, ctx.Err())
	}
}

// HealthyMirrors returns the mirrors whose health endpoint answers 200.
func (c *Client) HealthyMirrors(ctx context.Context, mirrors []string) []string {
	var healthy []string
	for _, m := range mirrors {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m+"/healthz", nil)
		if err != nil {
			continue
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			c.logf("mirror %s: %v", m, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode == http.StatusOK {
			healthy = append(healthy, m)
		}
	}
	return healthy
}

// FirstHealthy returns the first mirror whose health endpoint answers 200.
func (c *Client) FirstHealthy(ctx context.Context, mirrors []string) (string, error) {
	for _, m := range mirrors {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m+"/healthz", nil)
		if err != nil {
			return "", err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("mirror %s: %s", m, resp.Status)
		}
		return m, nil
	}
	return "", errors.New("fetch: no healthy mirror")
}
