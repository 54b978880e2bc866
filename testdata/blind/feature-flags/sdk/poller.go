package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/flagsvc/internal/flags"
)

var errNotModified = errors.New("sdk: not modified")

type snapshot struct {
	flags []*flags.Flag
	etag  string
}

type fetchResult struct {
	snap *snapshot
	err  error
}

// pollLoop refreshes the cache every PollInterval until ctx is cancelled.
func (c *Client) pollLoop(ctx context.Context) {
	defer c.wg.Done()
	t := time.NewTicker(c.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.pollOnce(ctx)
		}
	}
}

func (c *Client) pollOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.PollInterval)
	defer cancel()
	if err := c.refresh(ctx); err != nil {
		c.reportError(err)
	}
}

// refresh fetches the flag set (conditionally, with the last ETag) and
// installs it.
func (c *Client) refresh(ctx context.Context) error {
	var (
		snap *snapshot
		err  error
	)
	switch {
	case len(c.opts.Endpoints) > 1 && c.opts.Freshest:
		snap, err = c.fetchAll(ctx)
	case len(c.opts.Endpoints) > 1:
		snap, err = c.fetchFirst(ctx)
	default:
		snap, err = c.fetch(ctx, c.opts.BaseURL)
	}
	if errors.Is(err, errNotModified) {
		c.cache.Touch()
		return nil
	}
	if err != nil {
		return err
	}
	c.setETag(snap.etag)
	c.applyUpdate(snap.flags)
	return nil
}

// fetch downloads the flag set from one endpoint.
func (c *Client) fetch(ctx context.Context, base string) (*snapshot, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/flags", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.SDKKey)
	if etag := c.currentETag(); etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	c.observeFetch(base, time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("sdk: fetch %s: %w", base, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		return nil, errNotModified
	default:
		return nil, fmt.Errorf("sdk: fetch %s: %s", base, resp.Status)
	}
	var list []*flags.Flag
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("sdk: decode flags: %w", err)
	}
	return &snapshot{flags: list, etag: resp.Header.Get("ETag")}, nil
}

// fetchFirst asks every relay endpoint in parallel and uses the first good answer.
func (c *Client) fetchFirst(ctx context.Context) (*snapshot, error) {
	results := make(chan fetchResult, len(c.opts.Endpoints))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, ep := range c.opts.Endpoints {
		go func() {
			snap, err := c.fetch(ctx, ep)
			results <- fetchResult{snap: snap, err: err}
		}()
	}
	var lastErr error
	for range c.opts.Endpoints {
		r := <-results
		if r.err == nil || errors.Is(r.err, errNotModified) {
			return r.snap, r.err
		}
		lastErr = r.err
	}
	return nil, lastErr
}

// fetchAll asks every endpoint and returns the freshest flag set; every
// goroutine is waited for, so the results channel can be closed safely.
func (c *Client) fetchAll(ctx context.Context) (*snapshot, error) {
	results := make(chan fetchResult)
	for _, ep := range c.opts.Endpoints {
		go func() {
			snap, err := c.fetch(ctx, ep)
			results <- fetchResult{snap: snap, err: err}
		}()
	}
	var best *snapshot
	var errs []error
	for range c.opts.Endpoints {
		r := <-results
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		if best == nil || maxVersion(r.snap.flags) > maxVersion(best.flags) {
			best = r.snap
		}
	}
	close(results)
	if best == nil {
		return nil, errors.Join(errs...)
	}
	return best, nil
}

func maxVersion(list []*flags.Flag) int {
	m := 0
	for _, f := range list {
		m = max(m, f.Version)
	}
	return m
}

// observeFetch logs slow answers from an endpoint; these usually mean an
// overloaded relay.
func (c *Client) observeFetch(base string, d time.Duration) {
	if d > 2*time.Second {
		c.opts.Logger.Printf("flags sdk: %s took %v to answer", base, d.Round(time.Millisecond))
	}
}

func (c *Client) currentETag() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.etag
}

func (c *Client) setETag(etag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.etag = etag
}

// loadFile reads a flag list written by `flagctl export`.
func loadFile(path string) ([]*flags.Flag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list []*flags.Flag
	if err := json.NewDecoder(f).Decode(&list); err != nil {
		return nil, fmt.Errorf("sdk: %s: %w", path, err)
	}
	return list, nil
}

// watchFile reloads the offline flag file whenever it changes.
func (c *Client) watchFile(path string, interval time.Duration) {
	t := time.NewTicker(interval)
	var lastMod time.Time
	for range t.C {
		f, err := os.Open(path)
		if err != nil {
			c.reportError(err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		st, err := f.Stat()
		if err != nil || !st.ModTime().After(lastMod) {
			continue
		}
		lastMod = st.ModTime()
		var list []*flags.Flag
		if err := json.NewDecoder(f).Decode(&list); err != nil {
			c.reportError(fmt.Errorf("sdk: %s: %w", path, err))
			continue
		}
		c.applyUpdate(list)
	}
}
