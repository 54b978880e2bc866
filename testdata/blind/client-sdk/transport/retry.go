// Package transport provides http.RoundTripper middleware used by the SDK:
// retries with backoff, request signing, a circuit breaker and metrics.
package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/sdk/backoff"
)

// RetryTransport retries idempotent requests on transient failures.
type RetryTransport struct {
	Base       http.RoundTripper
	Policy     backoff.Policy
	MaxRetries int
	// ShouldRetry may be nil; DefaultShouldRetry is used then.
	ShouldRetry func(resp *http.Response, err error) bool
	// OnRetry may be nil.
	OnRetry func(attempt int, delay time.Duration)
}

func (t *RetryTransport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// DefaultShouldRetry retries on network errors, 429 and 5xx.
func DefaultShouldRetry(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
}

func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(secs) * time.Second
	}
	return 0
}

// RoundTrip implements http.RoundTripper.
func (t *RetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	should := t.ShouldRetry
	if should == nil {
		should = DefaultShouldRetry
	}
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 && req.Body != nil {
			if req.GetBody == nil {
				return nil, errors.New("transport: cannot retry request with non-rewindable body")
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(req.Context())
			r.Body = body
		}
		resp, err := t.base().RoundTrip(r)
		if attempt >= t.MaxRetries || !should(resp, err) {
			return resp, err
		}
		delay := t.Policy.Delay(attempt)
		if ra := retryAfter(resp); ra > delay {
			delay = ra
		}
		if resp != nil {
			// ok: closed per attempt, not deferred in the loop
			drainAndClose(resp.Body)
		}
		if t.OnRetry != nil {
			t.OnRetry(attempt+1, delay)
		}
		if err := backoff.Sleep(req.Context(), delay); err != nil {
			return nil, err
		}
	}
}

// Probe issues a HEAD request and returns the status code.
func (t *RetryTransport) Probe(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := t.base().RoundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Ping is like Probe but checks the error first.
func (t *RetryTransport) Ping(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := t.base().RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		return errors.New("transport: ping: " + resp.Status)
	}
	return nil
}
