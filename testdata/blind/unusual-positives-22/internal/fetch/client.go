// Package fetch talks to the upstream tile origin.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sync"
	"time"

	"example.com/up22/internal/cache"
)

// ErrTimeout is returned when the origin is too slow and nothing is cached.
var ErrTimeout = errors.New("fetch: origin timeout")

// Client fetches tiles from the origin and keeps recent ones in a cache.
type Client struct {
	hc        *http.Client
	base      string
	maxBody   int64
	slowAfter time.Duration
	cache     *cache.Cache[string, []byte]
	log       *log.Logger

	closeOnce sync.Once
	closing   chan struct{}
}

// NewClient returns a client for the origin at base.
func NewClient(base string, c *cache.Cache[string, []byte], logger *log.Logger) *Client {
	return &Client{
		hc:        &http.Client{Timeout: 30 * time.Second},
		base:      base,
		maxBody:   8 << 20,
		slowAfter: 5 * time.Second,
		cache:     c,
		log:       logger,
		closing:   make(chan struct{}),
	}
}

// Close releases background work that waits on the client.
func (c *Client) Close() {
	c.closeOnce.Do(func() { close(c.closing) })
}

func (c *Client) get(ctx context.Context, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/tiles/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", key, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
}

type result struct {
	b   []byte
	err error
}

// Fresh fetches key, falling back to the cached copy when the origin does
// not answer within wait.
func (c *Client) Fresh(ctx context.Context, key string, wait time.Duration) ([]byte, error) {
	out := make(chan result)
	go func() {
		b, err := c.get(ctx, key)
		select {
		case out <- result{b, err}: // HAZ goroutine-blocked-send
		case <-c.closing:
		}
	}()
	select {
	case r := <-out:
		if r.err == nil {
			c.cache.Set(key, r.b)
		}
		return r.b, r.err
	case <-time.After(wait):
		if b, ok := c.cache.Get(key); ok {
			return b, nil
		}
		return nil, ErrTimeout
	}
}

// FreshCtx is Fresh with the fetch tied to a context that is cancelled on return.
func (c *Client) FreshCtx(ctx context.Context, key string, wait time.Duration) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan result)
	go func() {
		b, err := c.get(ctx, key)
		select {
		case out <- result{b, err}:
		case <-ctx.Done():
		}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-out:
		return r.b, r.err
	case <-timer.C:
		if b, ok := c.cache.Get(key); ok {
			return b, nil
		}
		return nil, ErrTimeout
	}
}

// TryRefresh refetches key in the background and returns the fresh value if
// it has already arrived, or the cached one otherwise.
func (c *Client) TryRefresh(key string) ([]byte, bool) {
	done := make(chan []byte)
	go func() {
		b, err := c.get(context.Background(), key)
		if err != nil {
			c.log.Printf("refresh %s: %v", key, err)
			return
		}
		c.cache.Set(key, b)
		tick := time.NewTicker(c.slowAfter)
		defer tick.Stop()
		for {
			select {
			case done <- b: // HAZ goroutine-blocked-send
				return
			case <-tick.C:
				c.log.Printf("refresh %s: result not collected yet", key)
			}
		}
	}()
	select {
	case b := <-done:
		return b, true
	default:
		return c.cache.Get(key)
	}
}

// Prefetch refetches key in the background; a caller that is still waiting
// gets the value handed over, otherwise only the cache is updated.
func (c *Client) Prefetch(key string) ([]byte, bool) {
	done := make(chan []byte)
	go func() {
		b, err := c.get(context.Background(), key)
		if err != nil {
			return
		}
		c.cache.Set(key, b)
		select {
		case done <- b:
		default:
		}
	}()
	select {
	case b := <-done:
		return b, true
	default:
		return c.cache.Get(key)
	}
}

// FetchAll fetches every key concurrently and fails on the first error.
func (c *Client) FetchAll(ctx context.Context, keys []string) (map[string][]byte, error) {
	type item struct {
		key string
		result
	}
	items := make(chan item)
	for _, k := range keys {
		go func() {
			b, err := c.get(ctx, k)
			items <- item{k, result{b, err}} // HAZ goroutine-blocked-send
		}()
	}
	out := make(map[string][]byte, len(keys))
	for range len(keys) {
		it := <-items
		if it.err != nil {
			return nil, fmt.Errorf("fetch %s: %w", it.key, it.err)
		}
		out[it.key] = it.b
	}
	return out, nil
}

// FetchAllBuffered is FetchAll with room for every sender, so an early
// return strands nobody.
func (c *Client) FetchAllBuffered(ctx context.Context, keys []string) (map[string][]byte, error) {
	type item struct {
		key string
		result
	}
	items := make(chan item, len(keys))
	for _, k := range keys {
		go func() {
			b, err := c.get(ctx, k)
			items <- item{k, result{b, err}}
		}()
	}
	out := make(map[string][]byte, len(keys))
	for range len(keys) {
		it := <-items
		if it.err != nil {
			return nil, fmt.Errorf("fetch %s: %w", it.key, it.err)
		}
		out[it.key] = it.b
	}
	return out, nil
}

// Hedge sends a second request when the first is slower than after and
// returns whichever answers first.
func (c *Client) Hedge(ctx context.Context, key string, after time.Duration) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := make(chan result, 2)
	launch := func() {
		go func() {
			b, err := c.get(ctx, key)
			res <- result{b, err}
		}()
	}
	launch()
	timer := time.NewTimer(after)
	defer timer.Stop()
	select {
	case r := <-res:
		return r.b, r.err
	case <-timer.C:
		launch()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-res:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Ping checks that the origin answers, naming the origin in the error.
func (c *Client) Ping(ctx context.Context) (err error) {
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return fmt.Errorf("fetch: ping %s: %w", c.base, err)
		}
		return nil
	}()
	_, err = c.get(ctx, "_ping")
	return err
}

// PingNamed is Ping with the wrapped error stored in the named result.
func (c *Client) PingNamed(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("fetch: ping %s: %w", c.base, err)
		}
	}()
	_, err = c.get(ctx, "_ping")
	return err
}
