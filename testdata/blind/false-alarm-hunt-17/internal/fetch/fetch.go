// Package fetch is the HTTP client of the artifact service and its mirrors.
package fetch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah17/internal/obs"
)

const maxBody = 64 << 20

// Client talks to one artifact server.
type Client struct {
	hc           *http.Client
	base         string
	logger       *slog.Logger
	probeTimeout time.Duration
}

// New returns a client for the server at base. Requests are bounded by the
// contexts passed to each method.
func New(base string, logger *slog.Logger) *Client {
	return &Client{
		hc:           &http.Client{},
		base:         strings.TrimRight(base, "/"),
		logger:       logger,
		probeTimeout: 2 * time.Second,
	}
}

func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", path, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// GetJSON fetches path and decodes the JSON body into a T.
func GetJSON[T any](ctx context.Context, c *Client, path string) (T, error) {
	var v T
	b, err := c.get(ctx, path)
	if err != nil {
		return v, err
	}
	err = json.Unmarshal(b, &v)
	return v, err
}

// Blob returns the content stored under key.
func (c *Client) Blob(ctx context.Context, key string) ([]byte, error) {
	return c.get(ctx, "/blobs/"+url.PathEscape(key))
}

// GetOrStale fetches path but gives up waiting after budget and returns
// stale instead. The request itself goes on, detached from ctx but bounded,
// so that refresh can update the caller's cache when it completes.
func (c *Client) GetOrStale(ctx context.Context, path string, budget time.Duration, stale []byte, refresh func([]byte)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		b, err := c.get(bctx, path)
		if err == nil && refresh != nil {
			refresh(b)
		}
		ch <- result{b, err}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-timer.C:
		if stale != nil {
			return stale, nil
		}
		return nil, fmt.Errorf("fetch %s: no answer within %s", path, budget)
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// Download streams path into the file dst, atomically.
func (c *Client) Download(ctx context.Context, path, dst string) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", path, resp.Status)
	}
	f, err := os.CreateTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = io.Copy(f, resp.Body); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), dst)
}

// Stream calls fn for every line of the body of path until the body ends,
// fn fails or ctx is done.
func (c *Client) Stream(ctx context.Context, path string, fn func(line string) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Closing the body unblocks a Scan that is waiting for the next line.
	stop := context.AfterFunc(ctx, func() { resp.Body.Close() })
	defer stop()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return err
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return sc.Err()
}

// Prefetch downloads keys into dir, one after the other.
func (c *Client) Prefetch(ctx context.Context, keys []string, dir string) error {
	defer obs.Span(ctx, c.logger, "fetch.prefetch", "keys", len(keys)) // HAZ defer-func-result-not-called
	for _, k := range keys {
		if err := c.Download(ctx, "/blobs/"+url.PathEscape(k), filepath.Join(dir, k)); err != nil {
			return fmt.Errorf("prefetch %s: %w", k, err)
		}
	}
	return nil
}

// PrefetchTraced is Prefetch with the span closed when it returns.
func (c *Client) PrefetchTraced(ctx context.Context, keys []string, dir string) error {
	defer obs.Span(ctx, c.logger, "fetch.prefetch", "keys", len(keys))()
	return c.Prefetch(ctx, keys, dir)
}

// Mirror copies keys into dir, giving each download at most perKey.
func (c *Client) Mirror(ctx context.Context, keys []string, dir string, perKey time.Duration) (int, error) {
	done := 0
	for _, k := range keys {
		kctx, cancel := context.WithTimeout(ctx, perKey)
		defer cancel() // HAZ defer-in-loop
		if err := c.Download(kctx, "/blobs/"+url.PathEscape(k), filepath.Join(dir, k)); err != nil {
			return done, fmt.Errorf("mirror %s: %w", k, err)
		}
		done++
	}
	return done, nil
}

// FetchAll returns the content of every key, each request bounded by perKey.
func (c *Client) FetchAll(ctx context.Context, keys []string, perKey time.Duration) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		b, err := func() ([]byte, error) {
			kctx, cancel := context.WithTimeout(ctx, perKey)
			defer cancel()
			return c.Blob(kctx, k)
		}()
		if err != nil {
			return out, fmt.Errorf("fetch %s: %w", k, err)
		}
		out[k] = b
	}
	return out, nil
}

// Report posts a usage record. It outlives the caller's cancellation (the
// record is worth keeping) but not five seconds.
func (c *Client) Report(ctx context.Context, rec any) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	body, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/usage", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("report: %s", resp.Status)
	}
	return nil
}
