// Package webhook delivers signed tenant events to customer endpoints.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// Event is what gets delivered.
type Event struct {
	ID     string          `json:"id"`
	Tenant string          `json:"tenant"`
	Type   string          `json:"type"`
	At     time.Time       `json:"at"`
	Data   json.RawMessage `json:"data"`
}

// Endpoint is a customer URL with its signing secret.
type Endpoint struct {
	URL    string
	Secret string
}

// Result is the outcome of one delivery.
type Result struct {
	URL    string
	Status int
	Err    error
}

// ErrCircuitOpen is returned while an endpoint is cooling down.
var ErrCircuitOpen = errors.New("webhook: circuit open")

type breaker struct {
	failures  int
	openUntil time.Time
}

// Deliverer posts events with per-attempt timeouts and retries.
type Deliverer struct {
	client      *http.Client
	timeout     time.Duration
	maxAttempts int
	logger      *log.Logger

	mu       sync.Mutex
	breakers map[string]*breaker
}

// New returns a Deliverer.
func New(client *http.Client, timeout time.Duration, maxAttempts int, logger *log.Logger) *Deliverer {
	if client == nil {
		client = &http.Client{}
	}
	return &Deliverer{client: client, timeout: timeout, maxAttempts: maxAttempts, logger: logger, breakers: map[string]*breaker{}}
}

// Sign returns the hex HMAC-SHA256 of body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Deliver posts ev to ep, retrying transient failures.
func (d *Deliverer) Deliver(ctx context.Context, ep Endpoint, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	if err := d.allow(ep.URL); err != nil {
		return err
	}
	var last error
	for attempt := 0; attempt < d.maxAttempts; attempt++ {
		status, err := d.attempt(ctx, ep, body)
		if err == nil && status < 300 {
			d.report(ep.URL, true)
			return nil
		}
		if err == nil {
			err = fmt.Errorf("status %d", status)
			if status < 500 {
				d.report(ep.URL, false)
				return err
			}
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
	d.report(ep.URL, false)
	return fmt.Errorf("deliver %s to %s: %w", ev.ID, ep.URL, last)
}

// attempt makes one POST bounded by the per-attempt timeout.
func (d *Deliverer) attempt(ctx context.Context, ep Endpoint, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", Sign(ep.Secret, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// allow reports ErrCircuitOpen while the endpoint's breaker is open.
func (d *Deliverer) allow(url string) error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := d.breakers[url]
	if ok && time.Now().Before(b.openUntil) {
		return ErrCircuitOpen
	}
	d.mu.Unlock()
	return nil
}

// report updates the breaker after a delivery.
func (d *Deliverer) report(url string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b := d.breakers[url]
	if b == nil {
		b = &breaker{}
		d.breakers[url] = b
	}
	if ok {
		b.failures = 0
		return
	}
	b.failures++
	if b.failures >= 5 {
		b.openUntil = time.Now().Add(time.Minute)
	}
}

// Reset closes every breaker.
func (d *Deliverer) Reset() {
	d.mu.Lock()
	clear(d.breakers)
	d.mu.Unlock()
}
