package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

// Result is the outcome of fetching one path.
type Result struct {
	Path string
	Body []byte
	Err  error
}

// Fanout fetches every path concurrently and returns the results that
// arrived before the fan-out deadline. Late workers still have room in
// the results buffer, so none of them blocks.
func (c *Client) Fanout(ctx context.Context, paths []string) []Result {
	ctx, cancel := context.WithTimeout(ctx, c.fanoutTimeout)
	defer cancel()

	results := make(chan Result, len(paths))
	for _, p := range paths {
		go func() {
			b, err := c.fetchBytes(ctx, p)
			results <- Result{Path: p, Body: b, Err: err}
		}()
	}

	out := make([]Result, 0, len(paths))
	for range paths {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// GetPreferred fetches path and fallback concurrently and returns the body
// of path when it succeeds, the fallback's otherwise.
func (c *Client) GetPreferred(ctx context.Context, path, fallback string) ([]byte, error) {
	preferred := make(chan Result)
	go func() {
		b, err := c.fetchBytes(ctx, path)
		preferred <- Result{Path: path, Body: b, Err: err} // HAZ goroutine-blocked-send
	}()
	fb, err := c.fetchBytes(ctx, fallback)
	if err != nil {
		return nil, fmt.Errorf("fallback %s: %w", fallback, err)
	}
	if r := <-preferred; r.Err == nil {
		return r.Body, nil
	}
	return fb, nil
}

// StreamAll fetches every path concurrently and sends the results on out,
// closing out once every fetch has finished.
func (c *Client) StreamAll(ctx context.Context, paths []string, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := c.fetchBytes(ctx, p)
			select {
			case out <- Result{Path: p, Body: b, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// Mirror fetches every path concurrently and sends the results on out,
// closing out when it returns. It stops starting fetches once ctx ends.
func (c *Client) Mirror(ctx context.Context, paths []string, out chan<- Result) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := c.fetchBytes(ctx, p)
			out <- Result{Path: p, Body: b, Err: err}
		}()
	}
	wg.Wait()
	return nil
}

// Page is one page of a paginated listing.
type Page struct {
	Items []json.RawMessage `json:"items"`
	Next  string            `json:"next"`
	Err   error             `json:"-"`
}

// Pages follows the "next" links starting at first. The producer goroutine
// owns the channel and closes it when the listing ends, on error (after
// sending it) or when ctx is done.
func (c *Client) Pages(ctx context.Context, first string) <-chan Page {
	out := make(chan Page)
	go func() {
		defer close(out)
		next := first
		for next != "" {
			var pg Page
			if err := c.GetJSON(ctx, next, &pg); err != nil {
				pg = Page{Err: err}
			}
			next = pg.Next
			select {
			case out <- pg:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
