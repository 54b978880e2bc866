package upstream

import (
	"context"
	"fmt"
	"io"
)

// FetchAll fetches paths one after the other and returns their bodies.
func (c *Client) FetchAll(ctx context.Context, paths []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(paths))
	for _, p := range paths {
		resp, err := c.get(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", p, err)
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		out[p] = b
	}
	return out, nil
}

// FetchEach fetches paths one after the other and hands each body to fn;
// every response is closed before the next request starts.
func (c *Client) FetchEach(ctx context.Context, paths []string, fn func(path string, body []byte) error) error {
	for _, p := range paths {
		err := func() error {
			resp, err := c.get(ctx, p)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
			if err != nil {
				return err
			}
			return fn(p, b)
		}()
		if err != nil {
			return fmt.Errorf("fetch %s: %w", p, err)
		}
	}
	return nil
}
