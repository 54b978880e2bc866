// Package webhook delivers signed event notifications to merchant endpoints.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Endpoint is a merchant's webhook subscription.
type Endpoint struct {
	ID       string
	URL      string
	Secret   string
	Disabled bool
}

// Event is something that happened to a payment.
type Event struct {
	ID        string
	Type      string
	Payload   []byte
	CreatedAt time.Time
}

// Result is the outcome of one delivery.
type Result struct {
	EndpointID string
	Status     int
	Err        error
}

// Dispatcher posts events to endpoints.
type Dispatcher struct {
	client      *http.Client
	logger      *log.Logger
	maxAttempts int
	baseBackoff time.Duration

	mu        sync.Mutex
	delivered map[string]int
}

// NewDispatcher returns a dispatcher using client for outbound calls.
func NewDispatcher(client *http.Client, logger *log.Logger) *Dispatcher {
	return &Dispatcher{
		client:      client,
		logger:      logger,
		maxAttempts: 5,
		baseBackoff: 500 * time.Millisecond,
		delivered:   make(map[string]int),
	}
}

func sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func (d *Dispatcher) recordDelivery(endpointID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.delivered[endpointID]++
}

// Delivered reports how many events reached endpointID.
func (d *Dispatcher) Delivered(endpointID string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.delivered[endpointID]
}

// send performs a single POST of evt to ep.
func (d *Dispatcher) send(ctx context.Context, ep Endpoint, evt Event) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(evt.Payload))
	if err != nil {
		return 0, err
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Webhook-Id", evt.ID)
	req.Header.Set("Webhook-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("Webhook-Signature", sign(ep.Secret, ts, evt.Payload))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("webhook: %s answered %d", ep.ID, resp.StatusCode)
	}
	d.recordDelivery(ep.ID)
	return resp.StatusCode, nil
}

// Deliver posts evt with retries and exponential backoff.
func (d *Dispatcher) Deliver(ctx context.Context, ep Endpoint, evt Event) error {
	backoff := d.baseBackoff
	var lastErr error
	for attempt := 1; attempt <= d.maxAttempts; attempt++ {
		status, err := d.send(ctx, ep, evt)
		if err == nil {
			return nil
		}
		lastErr = err
		if status >= 400 && status < 500 && status != http.StatusTooManyRequests {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return fmt.Errorf("webhook: %s gave up after %d attempts: %w", ep.ID, d.maxAttempts, lastErr)
}

// DeliverWithTimeout delivers evt but gives up waiting after timeout so the
// caller's request is not held by a slow merchant.
func (d *Dispatcher) DeliverWithTimeout(ctx context.Context, ep Endpoint, evt Event, timeout time.Duration) error {
	done := make(chan error)
	go func() {
		done <- d.Deliver(context.WithoutCancel(ctx), ep, evt) // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return fmt.Errorf("webhook: %s: no answer within %s", ep.ID, timeout)
	}
}

// Probe checks that an endpoint answers. The sender gives up when the caller
// has stopped waiting, so an unbuffered channel is fine.
func (d *Dispatcher) Probe(ctx context.Context, ep Endpoint) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res := make(chan error)
	go func() {
		_, err := d.send(ctx, ep, Event{ID: "probe", Type: "ping", Payload: []byte(`{}`)})
		select {
		case res <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// QuickDeliver is like DeliverWithTimeout but the result channel has room
// for the single send, so an abandoned sender still finishes.
func (d *Dispatcher) QuickDeliver(ctx context.Context, ep Endpoint, evt Event) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := d.send(ctx, ep, evt)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
