// Package fetch downloads archived segments from a tidepool peer.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Result is the outcome of one download.
type Result struct {
	Key  string
	Data []byte
	Err  error
}

// ErrSlow is returned when a peer does not answer within the caller's budget.
var ErrSlow = errors.New("fetch: peer too slow")

// Client talks to one peer.
type Client struct {
	base   string
	hc     *http.Client
	logger *log.Logger
}

// New returns a client for the peer at base (e.g. "http://10.0.0.7:7070").
func New(base string, hc *http.Client, logger *log.Logger) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{base: strings.TrimRight(base, "/"), hc: hc, logger: logger}
}

// get downloads one key.
func (c *Client) get(ctx context.Context, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/segments/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// checkQuota asks the peer whether n downloads are allowed right now.
func (c *Client) checkQuota(ctx context.Context, n int) error {
	u := c.base + "/quota?n=" + strconv.Itoa(n)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("fetch: quota exceeded for %d downloads", n)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch: quota: %s", resp.Status)
	}
	return nil
}

// send performs req with the client's identification headers.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "tidepool-fetch/1")
	return c.hc.Do(req)
}

// Probe reports whether the peer answers its health check.
func (c *Client) Probe(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		c.logger.Printf("fetch: probe %s: %v", c.base, err)
		return false
	}
	return resp.StatusCode == http.StatusOK
}

// Healthy is Probe with the transport error reported.
func (c *Client) Healthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch: health: %s", resp.Status)
	}
	return nil
}
