// Package exporter holds the agent's outputs: HTTP (gzip, retries), files
// with rotation, TCP line forwarding and stdout.
package exporter

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// StatusError is a non-2xx answer from the endpoint.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("exporter/http: status %d: %s", e.Code, e.Body)
}

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	return !errors.Is(err, context.Canceled)
}

// backoff returns the wait before attempt n (n >= 1), with jitter.
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond << min(n, 8)
	return d/2 + rand.N(d/2)
}

// HTTPExporter posts gzip-compressed JSON batches.
type HTTPExporter struct {
	URL         string
	Headers     map[string]string
	MaxAttempts int
	Timeout     time.Duration
	GoodbyeURL  string

	client *http.Client
	reg    *telemetry.Registry
	sent   *telemetry.Counter
	failed *telemetry.Counter
}

// NewHTTPExporter returns an exporter posting to url.
func NewHTTPExporter(url string, reg *telemetry.Registry) *HTTPExporter {
	return &HTTPExporter{
		URL:         url,
		MaxAttempts: 5,
		Timeout:     10 * time.Second,
		client:      &http.Client{Timeout: 30 * time.Second},
		reg:         reg,
		sent:        reg.Counter("exporter_http_sent"),
		failed:      reg.Counter("exporter_http_failed"),
	}
}

// Name implements lifecycle.Component.
func (e *HTTPExporter) Name() string { return "exporter/http" }

// Start implements lifecycle.Component.
func (e *HTTPExporter) Start(ctx context.Context) error { return e.probe(ctx) }

// encode returns the gzip-compressed JSON form of b.
func encode(b pdata.Batch) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil { // ok: explicit, checked close
		return nil, err
	}
	return buf.Bytes(), nil
}

func (e *HTTPExporter) newRequest(ctx context.Context, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	for k, v := range e.Headers {
		req.Header.Set(k, v)
	}
	return req, nil
}

// post makes one attempt.
func (e *HTTPExporter) post(ctx context.Context, body []byte) error {
	req, err := e.newRequest(ctx, body)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return &StatusError{Code: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	return nil
}

// Export sends b, retrying transient failures with backoff.
func (e *HTTPExporter) Export(ctx context.Context, b pdata.Batch) error {
	body, err := encode(b)
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 1; attempt <= e.MaxAttempts; attempt++ {
		if attempt > 1 {
			t := time.NewTimer(backoff(attempt - 1))
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		lastErr = e.post(ctx, body)
		if lastErr == nil {
			e.sent.Add(uint64(b.Len()))
			return nil
		}
		if !retryable(lastErr) {
			break
		}
	}
	e.failed.Add(uint64(b.Len()))
	return lastErr
}

func (e *HTTPExporter) logResult(id uint64, err error) {
	if err != nil {
		log.Printf("exporter/http: batch %d: %v", id, err)
		return
	}
	log.Printf("exporter/http: batch %d: ok", id)
}

// ExportLogged is Export with a log line per batch.
func (e *HTTPExporter) ExportLogged(ctx context.Context, b pdata.Batch) (err error) {
	defer e.logResult(b.ID, err) // HAZ defer-eager-evaluation
	err = e.Export(ctx, b)
	return err
}

// ExportLoggedAtExit is ExportLogged reading err when the function returns.
func (e *HTTPExporter) ExportLoggedAtExit(ctx context.Context, b pdata.Batch) (err error) {
	defer func() { e.logResult(b.ID, err) }() // ok: closure reads the named result at exit
	return e.Export(ctx, b)
}

// ExportEach sends batches one request each, without retries (used by
// the replay tool).
func (e *HTTPExporter) ExportEach(ctx context.Context, batches []pdata.Batch) error {
	for _, b := range batches {
		body, err := encode(b)
		if err != nil {
			return err
		}
		req, err := e.newRequest(ctx, body)
		if err != nil {
			return err
		}
		resp, err := e.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode/100 != 2 {
			return &StatusError{Code: resp.StatusCode}
		}
	}
	return nil
}

// probe checks that the endpoint answers at all.
func (e *HTTPExporter) probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, e.URL, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := e.client.Do(req)
	e.reg.Histogram("exporter_http_probe_seconds", telemetry.DefaultBuckets).Observe(time.Since(start).Seconds())
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("exporter/http: probe %s: %w", e.URL, err)
	}
	if resp.StatusCode >= 500 {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

var errTimeout = errors.New("exporter/http: timed out")

// exportWithDeadline gives up on a batch after e.Timeout.
func (e *HTTPExporter) exportWithDeadline(b pdata.Batch) error {
	body, err := encode(b)
	if err != nil {
		return err
	}
	ch := make(chan error)
	go func() { ch <- e.post(context.Background(), body) }() // HAZ goroutine-blocked-send
	select {
	case err := <-ch:
		return err
	case <-time.After(e.Timeout):
		return errTimeout
	}
}

// exportWithContextDeadline gives up on a batch after e.Timeout, cancelling
// the request.
func (e *HTTPExporter) exportWithContextDeadline(ctx context.Context, b pdata.Batch) error {
	body, err := encode(b)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.Timeout)
	defer cancel()
	ch := make(chan error, 1) // ok: buffered
	go func() { ch <- e.post(ctx, body) }()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return errTimeout
	}
}

// sayGoodbye tells the collector this agent is leaving.
func (e *HTTPExporter) sayGoodbye() {
	if e.GoodbyeURL == "" {
		return
	}
	resp, err := http.Post(e.GoodbyeURL, "text/plain", strings.NewReader("bye"))
	if err != nil {
		log.Printf("exporter/http: goodbye: %v", err)
		return
	}
	resp.Body.Close()
}

// sayGoodbyeCtx is sayGoodbye bounded by ctx.
func (e *HTTPExporter) sayGoodbyeCtx(ctx context.Context) {
	if e.GoodbyeURL == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.GoodbyeURL, strings.NewReader("bye"))
	if err != nil {
		return
	}
	resp, err := e.client.Do(req)
	if err != nil {
		log.Printf("exporter/http: goodbye: %v", err)
		return
	}
	resp.Body.Close()
}

// Shutdown implements lifecycle.Component.
func (e *HTTPExporter) Shutdown(ctx context.Context) error {
	defer e.sayGoodbye() // HAZ defer-blocking-call
	e.client.CloseIdleConnections()
	return ctx.Err()
}

// ShutdownBounded is Shutdown with the goodbye bounded by a timeout.
func (e *HTTPExporter) ShutdownBounded(ctx context.Context) error {
	defer func() {
		gctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		e.sayGoodbyeCtx(gctx) // ok: bounded by the timeout
	}()
	e.client.CloseIdleConnections()
	return ctx.Err()
}

// ExportTimeout is the public entry that picks the deadline strategy.
func (e *HTTPExporter) ExportTimeout(ctx context.Context, b pdata.Batch, cancelable bool) error {
	if cancelable {
		return e.exportWithContextDeadline(ctx, b)
	}
	return e.exportWithDeadline(b)
}
