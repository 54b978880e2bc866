// Package webhook delivers signed event notifications to tenant endpoints.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Endpoint is a tenant's registered receiver.
type Endpoint struct {
	ID     string `json:"id"`
	Tenant string `json:"tenant"`
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// StatusError is a non-2xx response.
type StatusError struct {
	URL    string
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("webhook: %s answered %d: %s", e.URL, e.Status, e.Body)
}

// Retryable reports whether the receiver may accept a later attempt.
func (e *StatusError) Retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Client posts events.
type Client struct {
	http    *http.Client
	agent   string
	maxBody int64
	now     func() time.Time
	pings   atomic.Int64
}

// NewClient returns a client with a per-request timeout.
func NewClient(timeout time.Duration, agent string) *Client {
	return &Client{
		http:    &http.Client{Timeout: timeout},
		agent:   agent,
		maxBody: 64 << 10,
		now:     time.Now,
	}
}

// Sign computes the signature header value for body at ts.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Deliver posts body as event to ep and returns the status code.
func (c *Client) Deliver(ctx context.Context, ep Endpoint, event string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook: build request: %w", err)
	}
	ts := c.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("X-Event", event)
	req.Header.Set("X-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Signature", Sign(ep.Secret, ts, body))

	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: deliver %s to %s: %w", event, ep.ID, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	// Drain the rest so the connection goes back to the pool.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.maxBody))
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return resp.StatusCode, &StatusError{URL: ep.URL, Status: resp.StatusCode, Body: strings.TrimSpace(string(snippet))}
	}
	return resp.StatusCode, nil
}

// Verify performs the ownership challenge when an endpoint is registered:
// the receiver must echo the challenge token.
func (c *Client) Verify(ctx context.Context, ep Endpoint, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL+"?challenge="+token, nil)
	if err != nil {
		return err
	}
	start := c.now()
	resp, err := c.http.Do(req)
	took := c.now().Sub(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("webhook: verify %s (%v): %w", ep.URL, took, err)
	}
	got, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(got)) != token {
		return fmt.Errorf("webhook: %s did not echo the challenge", ep.URL)
	}
	return nil
}

// Ping returns the status of a HEAD to url; used by the dashboard's "test
// endpoint" button.
func (c *Client) Ping(url string) int {
	resp, _ := c.http.Head(url)
	c.pings.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode
}

// Warm probes every endpoint concurrently so that the first real delivery
// finds a pooled connection, and returns how many answered.
func (c *Client) Warm(ctx context.Context, urls []string) int {
	var (
		wg sync.WaitGroup
		up atomic.Int32
		u  string
	)
	for _, u = range urls {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.Probe(ctx, u); err == nil {
				up.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(up.Load())
}

// FetchConfig downloads the endpoint's self-description document,
// retrying quickly on 5xx answers.
func (c *Client) FetchConfig(ctx context.Context, url string) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode >= 500 {
			lastErr = &StatusError{URL: url, Status: resp.StatusCode}
			continue
		}
		return io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	}
	return nil, lastErr
}

// Probe is Ping with a context, the error checked first and a hard deadline.
func (c *Client) Probe(ctx context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
