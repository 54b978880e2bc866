// Package upstream talks to the origin registry (and its mirrors) that the
// proxy caches: GOPROXY-style paths such as "<module>/@v/<version>.zip".
package upstream

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxBody bounds metadata responses (.info, .mod, lists); zips are streamed.
const maxBody = 16 << 20

// Client fetches from an origin registry with a per-request deadline.
type Client struct {
	base    string
	mirrors []string
	hc      *http.Client
	timeout time.Duration
	log     *log.Logger

	mu    sync.Mutex
	stats map[string]*opStats
}

type opStats struct {
	count int
	total time.Duration
	max   time.Duration
}

// VersionInfo is the JSON served at <module>/@v/<version>.info.
type VersionInfo struct {
	Version string    `json:"Version"`
	Time    time.Time `json:"Time"`
}

// StatusError reports a non-200 answer from upstream.
type StatusError struct {
	URL  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("upstream: %s: %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// New returns a client for base, with optional mirrors used by Hedged.
func New(base string, mirrors []string, timeout time.Duration, logger *log.Logger) *Client {
	return &Client{
		base:    strings.TrimSuffix(base, "/"),
		mirrors: mirrors,
		hc:      &http.Client{Transport: http.DefaultTransport},
		timeout: timeout,
		log:     logger,
		stats:   make(map[string]*opStats),
	}
}

// Fetch returns the body of path from the origin.
func (c *Client) Fetch(ctx context.Context, path string) ([]byte, error) {
	return c.fetchFrom(ctx, c.base, path)
}

// fetchFrom performs one GET against base with the client's deadline.
func (c *Client) fetchFrom(ctx context.Context, base, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{URL: req.URL.String(), Code: resp.StatusCode}
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// Size asks upstream for the length of path without downloading it.
func (c *Client) Size(ctx context.Context, path string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/"+path, nil)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	c.observe("head", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("upstream: head %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, &StatusError{URL: req.URL.String(), Code: resp.StatusCode}
	}
	return resp.ContentLength, nil
}

// Download streams path into dst. Zips can be large, so the caller's context
// is the only deadline.
func (c *Client) Download(ctx context.Context, path string, dst io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/"+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, &StatusError{URL: req.URL.String(), Code: resp.StatusCode}
	}
	return io.Copy(dst, resp.Body)
}

// ListVersions returns the versions upstream knows for mod.
func (c *Client) ListVersions(ctx context.Context, mod string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/"+mod+"/@v/list", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{URL: req.URL.String(), Code: resp.StatusCode}
	}
	var versions []string
	sc := bufio.NewScanner(io.LimitReader(resp.Body, maxBody))
	for sc.Scan() {
		if v := strings.TrimSpace(sc.Text()); v != "" {
			versions = append(versions, v)
		}
	}
	return versions, sc.Err()
}

// GoMod fetches the go.mod of mod@ver and records how long upstream took.
func (c *Client) GoMod(ctx context.Context, mod, ver string) ([]byte, error) {
	start := time.Now()
	defer c.observe("mod", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return c.Fetch(ctx, mod+"/@v/"+ver+".mod")
}

// Info fetches and decodes the .info file of mod@ver.
func (c *Client) Info(ctx context.Context, mod, ver string) (*VersionInfo, error) {
	start := time.Now()
	defer func() { c.observe("info", time.Since(start)) }()
	b, err := c.Fetch(ctx, mod+"/@v/"+ver+".info")
	if err != nil {
		return nil, err
	}
	var info VersionInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return nil, fmt.Errorf("upstream: %s@%s: bad info: %w", mod, ver, err)
	}
	return &info, nil
}

// Latest asks upstream for the newest version of mod.
func (c *Client) Latest(ctx context.Context, mod string) (*VersionInfo, error) {
	b, err := c.Fetch(ctx, mod+"/@latest")
	if err != nil {
		return nil, err
	}
	var info VersionInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return nil, fmt.Errorf("upstream: %s@latest: %w", mod, err)
	}
	return &info, nil
}

// observe records the latency of one upstream operation.
func (c *Client) observe(op string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stats[op]
	if !ok {
		st = &opStats{}
		c.stats[op] = st
	}
	st.count++
	st.total += d
	st.max = max(st.max, d)
}

// MeanLatency returns the average latency per operation kind.
func (c *Client) MeanLatency() map[string]time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]time.Duration, len(c.stats))
	for op, st := range c.stats {
		if st.count > 0 {
			out[op] = st.total / time.Duration(st.count)
		}
	}
	return out
}
