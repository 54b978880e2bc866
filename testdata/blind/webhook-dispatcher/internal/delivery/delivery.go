// Package delivery sends signed webhook requests with retries, backoff and
// per-endpoint circuit breakers, and keeps the dead-letter file.
package delivery

import (
	"encoding/json"
	"errors"
	"math/rand"
	"net/http"
	"time"
)

// ErrCircuitOpen is returned when the endpoint's breaker refuses a request.
var ErrCircuitOpen = errors.New("delivery: circuit open for endpoint")

// Delivery is one event to be sent to one subscription endpoint.
type Delivery struct {
	ID             string          `json:"id"`
	SubscriptionID string          `json:"subscription_id"`
	TenantID       string          `json:"tenant_id"`
	Event          string          `json:"event"`
	URL            string          `json:"url"`
	Secret         string          `json:"secret"`
	Payload        json.RawMessage `json:"payload"`
	CreatedAt      time.Time       `json:"created_at"`
}

// Result is the outcome of Deliver.
type Result struct {
	DeliveryID string
	URL        string
	Status     int
	Attempts   int
	Err        error
	Duration   time.Duration
}

// OK reports whether the endpoint accepted the delivery.
func (r Result) OK() bool {
	return r.Err == nil && r.Status >= 200 && r.Status < 300
}

// Backoff computes exponential retry delays with full jitter.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// Delay returns the wait before attempt+1.
func (b Backoff) Delay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := b.Base << uint(attempt-1)
	if d <= 0 || d > b.Max {
		d = b.Max
	}
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int63n(int64(d)) + 1)
}

// Retryable reports whether a response status deserves another attempt:
// throttling and server errors do, other client errors do not.
func Retryable(status int) bool {
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		return true
	case status >= 500:
		return true
	}
	return false
}
