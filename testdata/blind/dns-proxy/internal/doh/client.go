package doh

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client queries a DoH upstream.
type Client struct {
	URL  string
	HTTP *http.Client

	lastRTT time.Duration
}

// NewClient returns a client with a bounded HTTP timeout.
func NewClient(url string) *Client {
	return &Client{URL: url, HTTP: &http.Client{Timeout: 5 * time.Second}}
}

// Exchange POSTs q and returns the wire-format answer.
func (c *Client) Exchange(ctx context.Context, q []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(q))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", contentType)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("doh: %s: %s", c.URL, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 65535))
}

// Probe checks that the upstream answers a root NS query over GET.
func (c *Client) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"?dns=AAABAAABAAAAAAAAAAACAAE", nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, _ := c.HTTP.Do(req)
	c.lastRTT = time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("doh: probe %s: %s", c.URL, resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// LastRTT returns the round-trip time of the last probe.
func (c *Client) LastRTT() time.Duration { return c.lastRTT }
