package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"example.com/fah12/internal/store"
)

// Client talks to a Server.
type Client struct {
	hc   *http.Client
	base string
}

// NewClient returns a client for base.
func NewClient(base string) *Client {
	return &Client{hc: &http.Client{Timeout: 15 * time.Second}, base: base}
}

// Get fetches one record.
func (c *Client) Get(ctx context.Context, id string) (store.Record, error) {
	var rec store.Record
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/records/"+url.PathEscape(id), nil)
	if err != nil {
		return rec, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return rec, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return rec, fmt.Errorf("get %s: %s", id, resp.Status)
	}
	return rec, json.NewDecoder(resp.Body).Decode(&rec)
}

// do sends req with the client's user agent.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "fah12-client/1")
	return c.hc.Do(req)
}

// Health checks the server's health endpoint.
func (c *Client) Health(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	return nil
}

// Ping is Health with a nil-guarded deferred close, safe on the error path.
func (c *Client) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("ping: %s", resp.Status)
	}
	return nil
}

// Download streams one record's raw JSON to w.
func (c *Client) Download(ctx context.Context, id string, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/records/"+url.PathEscape(id), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("download %s: %s", id, resp.Status)
	}
	return io.Copy(w, resp.Body)
}
