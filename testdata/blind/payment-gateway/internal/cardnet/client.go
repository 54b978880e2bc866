// Package cardnet talks to the card networks' authorization APIs.
package cardnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// AuthRequest asks the network to authorize a card payment.
type AuthRequest struct {
	CardToken  string `json:"card_token"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
	MerchantID string `json:"merchant_id"`
}

// AuthResponse is the network's decision.
type AuthResponse struct {
	Approved   bool   `json:"approved"`
	Code       string `json:"code"`
	NetworkRef string `json:"network_ref"`
}

// StatusError is a non-2xx answer from the network.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("cardnet: status %d: %s", e.Status, e.Body)
}

// Client is a card network API client with retries.
type Client struct {
	http       *http.Client
	baseURL    string
	maxRetries int
	backoff    time.Duration
	logger     *log.Logger
	inflight   atomic.Int64

	mu      sync.Mutex
	latency map[string]time.Duration
}

// NewClient returns a client with a per-request timeout.
func NewClient(baseURL string, timeout time.Duration, logger *log.Logger) *Client {
	return &Client{
		http:       &http.Client{Timeout: timeout},
		baseURL:    baseURL,
		maxRetries: 3,
		backoff:    100 * time.Millisecond,
		logger:     logger,
		latency:    make(map[string]time.Duration),
	}
}

func (c *Client) recordLatency(op string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency[op] = d
}

// Latencies returns the last observed latency per operation.
func (c *Client) Latencies() map[string]time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]time.Duration, len(c.latency))
	for k, v := range c.latency {
		out[k] = v
	}
	return out
}

// trace logs the start of op and returns the func that logs its end.
func (c *Client) trace(op string) func() {
	start := time.Now()
	c.logger.Printf("cardnet %s: start", op)
	return func() {
		c.logger.Printf("cardnet %s: done in %s", op, time.Since(start))
	}
}

func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

func backoffFor(attempt int, base time.Duration) time.Duration {
	d := base << (attempt - 1)
	if d > 5*time.Second {
		d = 5 * time.Second
	}
	return d
}

// post sends one JSON request and decodes the answer into out.
func (c *Client) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cardnet: %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &StatusError{Status: resp.StatusCode, Body: string(msg)}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Authorize asks the network for an authorization, retrying transient
// failures with exponential backoff.
func (c *Client) Authorize(ctx context.Context, req AuthRequest) (*AuthResponse, error) {
	defer c.trace("authorize")()
	var lastErr error
	for attempt := 1; attempt <= c.maxRetries; attempt++ {
		var out AuthResponse
		err := c.post(ctx, "/v1/authorize", req, &out)
		if err == nil {
			return &out, nil
		}
		lastErr = err
		if !retryable(err) {
			break
		}
		t := time.NewTimer(backoffFor(attempt, c.backoff))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return nil, fmt.Errorf("cardnet: authorize after %d attempts: %w", c.maxRetries, lastErr)
}

// Capture captures a previously authorized amount.
func (c *Client) Capture(ctx context.Context, networkRef string, amount int64) error {
	body, err := json.Marshal(map[string]any{"network_ref": networkRef, "amount": amount})
	if err != nil {
		return err
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/v1/capture", bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	c.inflight.Add(1)
	resp, err := c.http.Do(httpReq)
	c.inflight.Add(-1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("cardnet: capture %s: %w", networkRef, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Status: resp.StatusCode}
	}
	return nil
}

// Refund sends a refund for a captured payment.
func (c *Client) Refund(ctx context.Context, networkRef string, amount int64) error {
	defer c.trace("refund") // HAZ defer-func-result-not-called
	return c.post(ctx, "/v1/refund", map[string]any{"network_ref": networkRef, "amount": amount}, nil)
}

// Void cancels an authorization that was never captured.
func (c *Client) Void(ctx context.Context, networkRef string) error {
	start := time.Now()
	defer c.recordLatency("void", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return c.post(ctx, "/v1/void", map[string]string{"network_ref": networkRef}, nil)
}

// Settle asks the network to settle the day's batch; latency is measured
// when the call finishes.
func (c *Client) Settle(ctx context.Context, batchID string) error {
	start := time.Now()
	defer func() { c.recordLatency("settle", time.Since(start)) }()
	return c.post(ctx, "/v1/settle", map[string]string{"batch_id": batchID}, nil)
}

// Ping checks reachability of the network endpoint.
func (c *Client) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Status: resp.StatusCode}
	}
	return nil
}
