package pump

import (
	"context"
	"errors"
	"sync/atomic"
)

// Client reads keys from a set of replicas.
type Client struct {
	replicas []string
	fetch    func(ctx context.Context, replica, key string) ([]byte, error)
	ping     func(ctx context.Context, replica string) error
	launched atomic.Int64
	pings    atomic.Int64
}

// NewClient returns a client over replicas.
func NewClient(replicas []string, fetch func(context.Context, string, string) ([]byte, error), ping func(context.Context, string) error) *Client {
	return &Client{replicas: replicas, fetch: fetch, ping: ping}
}

type result struct {
	body []byte
	err  error
}

// fetchInto reads key from the primary and sends the result to out.
func (c *Client) fetchInto(ctx context.Context, key string, out chan<- result) {
	body, err := c.fetch(ctx, c.replicas[0], key)
	out <- result{body: body, err: err}
}

// Get reads key from the primary, giving up when ctx is done.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	res := make(chan result)
	go c.fetchInto(ctx, key, res) // HAZ goroutine-blocked-send
	select {
	case r := <-res:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// GetBuffered is Get with room for the late answer, so the fetch goroutine
// always finishes.
func (c *Client) GetBuffered(ctx context.Context, key string) ([]byte, error) {
	res := make(chan result, 1)
	go c.fetchInto(ctx, key, res)
	select {
	case r := <-res:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Hedged asks every replica and returns the first successful answer. It
// stops launching once ctx is done; i counts the launched requests.
func (c *Client) Hedged(ctx context.Context, key string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan result, len(c.replicas))
	var i int
	for i = 0; i < len(c.replicas) && ctx.Err() == nil; i++ {
		go func() { // HAZ loop-var-capture
			body, err := c.fetch(ctx, c.replicas[i], key)
			answers <- result{body: body, err: err}
		}()
		c.launched.Add(1)
	}
	var errs []error
	for n := 0; n < i; n++ {
		r := <-answers
		if r.err == nil {
			return r.body, nil
		}
		errs = append(errs, r.err)
	}
	return nil, errors.Join(errs...)
}

// HedgedAll is Hedged with a loop that declares its variable (Go 1.22: one
// i per iteration).
func (c *Client) HedgedAll(ctx context.Context, key string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan result, len(c.replicas))
	for i := range c.replicas {
		go func() {
			body, err := c.fetch(ctx, c.replicas[i], key)
			answers <- result{body: body, err: err}
		}()
		c.launched.Add(1)
	}
	var errs []error
	for range c.replicas {
		r := <-answers
		if r.err == nil {
			return r.body, nil
		}
		errs = append(errs, r.err)
	}
	return nil, errors.Join(errs...)
}
