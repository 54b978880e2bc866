package sdk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/flagsvc/internal/flags"
)

// SaveCache writes the cached flags to path so that the next start can serve
// flags before the first fetch completes.
func (c *Client) SaveCache(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(bw).Encode(c.cache.All())
}

// WatchVariation sends the variation of key for u whenever it changes, until
// ctx is done. The channel is closed when watching stops.
func (c *Client) WatchVariation(ctx context.Context, key string, u flags.User) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		last := ""
		for {
			if v := c.Variation(key, u, ""); v != last {
				select {
				case out <- v:
					last = v
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// Identify registers u with the server so that it shows up in the dashboard.
// It waits at most 500ms: a slow server must never delay the application.
func (c *Client) Identify(ctx context.Context, u flags.User) error {
	errc := make(chan error)
	go func() { errc <- c.postJSON(ctx, "/identify", u) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-time.After(500 * time.Millisecond):
		return nil
	}
}

func (c *Client) postJSON(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.SDKKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sdk: POST %s: %s", path, resp.Status)
	}
	return nil
}
