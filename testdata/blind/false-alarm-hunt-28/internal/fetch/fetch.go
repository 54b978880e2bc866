// Package fetch downloads toolchains and remote cache objects over HTTP.
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// maxBody bounds in-memory downloads.
const maxBody = 64 << 20

// Client fetches artifacts with retries.
type Client struct {
	http    *http.Client
	retries int
}

// Info describes a remote artifact.
type Info struct {
	Size int64
	ETag string
}

// New returns a client whose requests time out after timeout.
func New(timeout time.Duration, retries int) *Client {
	return &Client{http: &http.Client{Timeout: timeout}, retries: retries}
}

// Download fetches url into dst and verifies its SHA-256.
func (c *Client) Download(ctx context.Context, url, dst, wantSum string) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", url, resp.Status)
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), resp.Body); err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSum {
		return fmt.Errorf("download %s: checksum %s, want %s", url, got, wantSum)
	}
	return nil
}

// do sends one request with the client's timeout and retry-free policy.
func (c *Client) do(ctx context.Context, method, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "forge/1")
	return c.http.Do(req)
}

// Stat reports the size and ETag of a remote artifact without fetching it.
func (c *Client) Stat(ctx context.Context, url string) (Info, error) {
	resp, err := c.do(ctx, http.MethodHead, url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return Info{}, fmt.Errorf("stat %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Info{}, fmt.Errorf("stat %s: %s", url, resp.Status)
	}
	size, _ := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	return Info{Size: size, ETag: resp.Header.Get("ETag")}, nil
}

// getOnce fetches url into memory.
func (c *Client) getOnce(ctx context.Context, url string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// backoff returns the pause before retry attempt n (0-based).
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond << n
	if d > 5*time.Second {
		d = 5 * time.Second
	}
	return d
}

// GetWithRetry fetches url, retrying transient failures with backoff.
func (c *Client) GetWithRetry(ctx context.Context, url string) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		body, err := c.getOnce(ctx, url)
		if err == nil {
			return body, nil
		}
		lastErr = err
		t := time.NewTimer(backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return nil, fmt.Errorf("get %s after %d attempts: %w", url, c.retries+1, lastErr)
}

// FirstOf fetches path from every mirror concurrently and returns the first
// body that arrives; the other requests are cancelled.
func (c *Client) FirstOf(ctx context.Context, mirrors []string, path string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		body []byte
		err  error
	}
	results := make(chan result, len(mirrors))
	for _, m := range mirrors {
		go func() {
			body, err := c.getOnce(ctx, m+path)
			results <- result{body, err}
		}()
	}
	var errs []error
	for range mirrors {
		r := <-results
		if r.err == nil {
			return r.body, nil
		}
		errs = append(errs, r.err)
	}
	return nil, errors.Join(errs...)
}

// FromMirrors tries each mirror in order and returns the first successful
// body.
func (c *Client) FromMirrors(ctx context.Context, mirrors []string, p string) ([]byte, error) {
	var errs []error
	for _, m := range mirrors {
		resp, err := c.do(ctx, http.MethodGet, m+p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			errs = append(errs, fmt.Errorf("%s: %s", m, resp.Status))
			continue
		}
		return io.ReadAll(io.LimitReader(resp.Body, maxBody))
	}
	return nil, errors.Join(errs...)
}

// FetchAll downloads every URL of sums (URL to SHA-256) into dir
// concurrently, skipping files that are already there.
func (c *Client) FetchAll(ctx context.Context, dir string, sums map[string]string) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(sums))
	for url, sum := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := filepath.Join(dir, path.Base(url))
			if _, err := os.Stat(dst); err == nil {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := c.Download(ctx, url, dst, sum); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
