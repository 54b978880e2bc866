package fetch

import (
	"context"
	"fmt"
	"time"
)

// Prefetch starts downloading keys in order and returns the channel the
// results arrive on. The caller must read until the channel is closed.
func (c *Client) Prefetch(ctx context.Context, keys []string) (<-chan Result, error) {
	out := make(chan Result)
	go func() {
		for _, k := range keys {
			data, err := c.get(ctx, k)
			out <- Result{Key: k, Data: data, Err: err} // HAZ goroutine-blocked-send
		}
		close(out)
	}()
	if err := c.checkQuota(ctx, len(keys)); err != nil {
		return nil, err
	}
	return out, nil
}

// Stream is Prefetch for callers that may stop early: the sender gives up
// as soon as ctx is done, so cancelling ctx releases the goroutine.
func (c *Client) Stream(ctx context.Context, keys []string) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		for _, k := range keys {
			data, err := c.get(ctx, k)
			select {
			case out <- Result{Key: k, Data: data, Err: err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// lookupAsync starts one download; the channel has room for the result, so
// the goroutine finishes even if nobody reads it.
func (c *Client) lookupAsync(ctx context.Context, key string) <-chan Result {
	ch := make(chan Result, 1)
	go func() {
		data, err := c.get(ctx, key)
		ch <- Result{Key: key, Data: data, Err: err}
	}()
	return ch
}

// FetchWithin downloads key, giving up after d.
func (c *Client) FetchWithin(ctx context.Context, key string, d time.Duration) ([]byte, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-c.lookupAsync(ctx, key):
		return r.Data, r.Err
	case <-t.C:
		return nil, ErrSlow
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchParts downloads the numbered parts of a split archive in parallel
// and returns them in order.
func (c *Client) FetchParts(ctx context.Context, key string, parts int) ([][]byte, error) {
	type part struct {
		i    int
		data []byte
		err  error
	}
	ch := make(chan part)
	for i := range parts {
		go func() {
			data, err := c.get(ctx, fmt.Sprintf("%s.part%d", key, i))
			ch <- part{i: i, data: data, err: err} // HAZ goroutine-blocked-send
		}()
	}
	out := make([][]byte, parts)
	for range parts {
		p := <-ch
		if p.err != nil {
			return nil, fmt.Errorf("fetch %s part %d: %w", key, p.i, p.err)
		}
		out[p.i] = p.data
	}
	return out, nil
}

// FetchAll downloads keys in parallel and returns the first error. The
// channel holds one result per key, so stopping early leaks nothing.
func (c *Client) FetchAll(ctx context.Context, keys []string) (map[string][]byte, error) {
	ch := make(chan Result, len(keys))
	for _, k := range keys {
		go func() {
			data, err := c.get(ctx, k)
			ch <- Result{Key: k, Data: data, Err: err}
		}()
	}
	out := make(map[string][]byte, len(keys))
	for range len(keys) {
		r := <-ch
		if r.Err != nil {
			return nil, fmt.Errorf("fetch %s: %w", r.Key, r.Err)
		}
		out[r.Key] = r.Data
	}
	return out, nil
}
