package schema

import (
	"context"
	"errors"
	"sync"
)

type result struct {
	name string
	data []byte
	err  error
}

// FetchOrCached returns the fresh document if it arrives before ctx is
// done and the cached copy otherwise. A download that finishes late still
// refreshes the cache for the next run.
func (c *Client) FetchOrCached(ctx context.Context, name string) ([]byte, error) {
	ch := make(chan result)
	go func() {
		data, err := c.Fetch(context.WithoutCancel(ctx), name)
		if err == nil {
			c.cache.Put(name, data)
		}
		ch <- result{name, data, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.data, r.err
	case <-ctx.Done():
		if data, ok := c.cache.Get(name); ok {
			return data, nil
		}
		return nil, ctx.Err()
	}
}

// FetchMirrored asks every mirror at once and returns the first good copy.
// The channel has room for every sender, so the losers never block.
func (c *Client) FetchMirrored(ctx context.Context, name string, mirrors []string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan result, len(mirrors))
	for _, m := range mirrors {
		go func() {
			data, err := c.fetchFrom(ctx, m, name)
			ch <- result{name, data, err}
		}()
	}
	var errs []error
	for range mirrors {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.data, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// FetchAll downloads names concurrently, stopping at the first error.
func (c *Client) FetchAll(ctx context.Context, names []string) (map[string][]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan result)
	for _, n := range names {
		go func() {
			data, err := c.Fetch(ctx, n)
			select {
			case ch <- result{n, data, err}:
			case <-ctx.Done():
			}
		}()
	}
	out := make(map[string][]byte, len(names))
	for range names {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		out[r.name] = r.data
	}
	return out, nil
}

// Prefetch streams documents for names as they arrive. The producer owns
// the channel: it is the only sender and closes it when done.
func (c *Client) Prefetch(ctx context.Context, names []string) <-chan []byte {
	out := make(chan []byte)
	go func() {
		defer close(out)
		for _, n := range names {
			data, err := c.FetchRetry(ctx, n)
			if err != nil {
				continue
			}
			c.cache.Put(n, data)
			select {
			case out <- data:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Probe reports which mirrors serve the schema index, checking them all
// at once.
func (c *Client) Probe(ctx context.Context, mirrors []string) []bool {
	up := make([]bool, len(mirrors))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(mirrors); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, err := c.fetchFrom(ctx, mirrors[i], "index")
			up[i] = err == nil
		}()
	}
	wg.Wait()
	return up
}

// Warm downloads names into the cache concurrently.
func (c *Client) Warm(ctx context.Context, names []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := c.Fetch(ctx, n)
			if err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			c.cache.Put(n, data)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Refresh re-downloads the cached names, at most limit at a time. The
// semaphore slot is released explicitly, not in a defer.
func (c *Client) Refresh(ctx context.Context, limit int) error {
	names := c.cache.Keys()
	errs := make([]error, len(names))
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i, n := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := c.Fetch(ctx, n)
			<-sem
			if err != nil {
				errs[i] = err
				return
			}
			c.cache.Put(n, data)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
