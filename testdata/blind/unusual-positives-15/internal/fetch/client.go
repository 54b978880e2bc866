// Package fetch downloads blobs from the upstream origin over HTTP.
package fetch

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/up15/internal/blob"
)

// Client talks to one origin.
type Client struct {
	hc   *http.Client
	base string
	log  *log.Logger
	wg   sync.WaitGroup // background prefetches
}

// NewClient returns a client for the origin at base.
func NewClient(base string, timeout time.Duration, lg *log.Logger) *Client {
	return &Client{
		hc:   &http.Client{Timeout: timeout},
		base: strings.TrimRight(base, "/"),
		log:  lg,
	}
}

// Get returns the body of path. The caller closes it.
func (c *Client) Get(ctx context.Context, path string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetch: GET %s: %s", path, resp.Status)
	}
	return resp.Body, nil
}

// Size returns the Content-Length the origin reports for path.
func (c *Client) Size(ctx context.Context, path string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("fetch: HEAD %s: %s", path, resp.Status)
	}
	return resp.ContentLength, nil
}

// roundTrip sends a body-less request for path.
func (c *Client) roundTrip(ctx context.Context, method, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "up15-fetch/1")
	return c.hc.Do(req)
}

// Reachable reports whether the origin answers its health check.
func (c *Client) Reachable(ctx context.Context) bool {
	resp, err := c.roundTrip(ctx, http.MethodGet, "/healthz")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		c.log.Printf("health check: %v", err)
		return false
	}
	return resp.StatusCode == http.StatusOK
}

// Download copies path into the local file dst. The file's close error is
// folded into the named result.
func (c *Client) Download(ctx context.Context, path, dst string) (err error) {
	body, err := c.Get(ctx, path)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, body)
	return err
}

// Prefetch warms dst with every group whose paths are all fetchable; a
// path starting with "!" marks a group as excluded. It returns at once;
// Wait blocks until the prefetches are done.
func (c *Client) Prefetch(ctx context.Context, groups map[string][]string, dst *blob.Store) {
nextGroup:
	for name, paths := range groups {
		for _, p := range paths {
			if strings.HasPrefix(p, "!") {
				continue nextGroup
			}
		}
		c.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer c.wg.Done()
			for _, p := range paths {
				if err := c.copyInto(ctx, dst, p); err != nil {
					c.log.Printf("prefetch %s: %s: %v", name, p, err)
				}
			}
		}()
		c.log.Printf("prefetch: group %s queued (%d paths)", name, len(paths))
	}
}

// PrefetchGroups is Prefetch with the group passed to the goroutine as
// arguments.
func (c *Client) PrefetchGroups(ctx context.Context, groups map[string][]string, dst *blob.Store) {
	for name, paths := range groups {
		c.wg.Add(1)
		go func(name string, paths []string) {
			defer c.wg.Done()
			for _, p := range paths {
				if err := c.copyInto(ctx, dst, p); err != nil {
					c.log.Printf("prefetch %s: %s: %v", name, p, err)
				}
			}
		}(name, paths)
	}
}

// Wait blocks until all prefetches started by Prefetch have finished.
func (c *Client) Wait() { c.wg.Wait() }

func (c *Client) copyInto(ctx context.Context, dst *blob.Store, path string) error {
	rc, err := c.Get(ctx, path)
	if err != nil {
		return err
	}
	defer rc.Close()
	return dst.Put(strings.TrimPrefix(path, "/"), rc)
}
