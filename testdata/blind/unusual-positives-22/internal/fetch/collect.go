package fetch

import (
	"context"
	"time"
)

// Result is one fetched tile.
type Result struct {
	Key  string
	Data []byte
	Err  error
}

// Collect fetches keys concurrently and returns what arrived before the deadline.
func (c *Client) Collect(ctx context.Context, keys []string, deadline time.Duration) []Result {
	results := make(chan Result)
	defer close(results) // HAZ defer-close-chan-with-sender
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, k := range keys {
		go func() {
			b, err := c.get(ctx, k)
			select {
			case results <- Result{Key: k, Data: b, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	var out []Result
	for range len(keys) {
		select {
		case r := <-results:
			out = append(out, r)
		case <-timer.C:
			return out
		}
	}
	return out
}

// CollectAll fetches keys concurrently and waits for every answer; the
// channel is closed only after each sender has been received from.
func (c *Client) CollectAll(ctx context.Context, keys []string) []Result {
	results := make(chan Result)
	defer close(results)
	for _, k := range keys {
		go func() {
			b, err := c.get(ctx, k)
			results <- Result{Key: k, Data: b, Err: err}
		}()
	}
	out := make([]Result, 0, len(keys))
	for range len(keys) {
		out = append(out, <-results)
	}
	return out
}

// CollectUntil fetches keys concurrently and returns what arrived before the
// deadline; late senders drop their result once ctx is cancelled.
func (c *Client) CollectUntil(ctx context.Context, keys []string, deadline time.Duration) []Result {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	results := make(chan Result)
	for _, k := range keys {
		go func() {
			b, err := c.get(ctx, k)
			select {
			case results <- Result{Key: k, Data: b, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	var out []Result
	for range len(keys) {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
