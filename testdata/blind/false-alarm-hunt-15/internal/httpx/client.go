// Package httpx is a JSON HTTP client with per-attempt timeouts and
// retries with exponential backoff.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/trace"
)

// Client calls one upstream service.
type Client struct {
	hc          *http.Client
	base        string
	perTry      time.Duration
	maxAttempts int
	backoff     time.Duration
	tracer      *trace.Tracer
	log         *logx.Logger
}

// StatusError is a non-2xx answer.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string { return fmt.Sprintf("http %d: %s", e.Code, e.Body) }

// NewClient builds a client with sane defaults.
func NewClient(base string, tracer *trace.Tracer, log *logx.Logger) *Client {
	return &Client{
		hc:          &http.Client{Timeout: 30 * time.Second},
		base:        base,
		perTry:      5 * time.Second,
		maxAttempts: 4,
		backoff:     100 * time.Millisecond,
		tracer:      tracer,
		log:         log,
	}
}

// drainAndClose reads a bounded remainder of the body so the connection
// can be reused, then closes it.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

func (c *Client) backoffFor(attempt int) time.Duration {
	d := c.backoff << attempt
	if d > 5*time.Second {
		d = 5 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	}
	return !errors.Is(err, context.Canceled)
}

func (c *Client) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("Accept", "application/json")
	return c.hc.Do(req)
}

// GetJSON fetches path and decodes the JSON answer into v, retrying
// transient failures.
func (c *Client) GetJSON(ctx context.Context, path string, v any) error {
	ctx, span := c.tracer.Start(ctx, "GET "+path)
	defer span.End()

	var lastErr error
	for attempt := 0; attempt < c.maxAttempts; attempt++ {
		if attempt > 0 {
			if err := sleepCtx(ctx, c.backoffFor(attempt)); err != nil {
				return err
			}
		}
		lastErr = c.getOnce(ctx, path, v)
		if lastErr == nil || !retryable(lastErr) {
			break
		}
		c.log.Info("retrying", "path", path, "attempt", attempt, "err", lastErr)
	}
	span.RecordError(lastErr)
	return lastErr
}

// getOnce is one attempt, bounded by its own timeout.
func (c *Client) getOnce(ctx context.Context, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, c.perTry)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer drainAndClose(resp.Body)
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &StatusError{Code: resp.StatusCode, Body: string(msg)}
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// PostJSON sends v and retries transient failures.
func (c *Client) PostJSON(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		tctx, cancel := context.WithTimeout(ctx, c.perTry)
		defer cancel() // HAZ defer-in-loop
		err = c.post(tctx, path, body)
		if err == nil || !retryable(err) || attempt+1 >= c.maxAttempts {
			return err
		}
		if serr := sleepCtx(ctx, c.backoffFor(attempt)); serr != nil {
			return serr
		}
	}
}

// PutJSON is PostJSON with PUT, each attempt in a closure so its timeout
// is released before the backoff.
func (c *Client) PutJSON(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err = func() error {
			tctx, cancel := context.WithTimeout(ctx, c.perTry)
			defer cancel()
			return c.do(tctx, http.MethodPut, path, body)
		}()
		if err == nil || !retryable(err) || attempt+1 >= c.maxAttempts {
			return err
		}
		if serr := sleepCtx(ctx, c.backoffFor(attempt)); serr != nil {
			return serr
		}
	}
}

func (c *Client) post(ctx context.Context, path string, body []byte) error {
	return c.do(ctx, http.MethodPost, path, body)
}

func (c *Client) do(ctx context.Context, method, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer drainAndClose(resp.Body)
	if resp.StatusCode/100 != 2 {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

// Healthy reports whether the upstream answers its health check.
func (c *Client) Healthy(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		c.log.Error("health check failed", "err", err)
		return false
	}
	return resp.StatusCode == http.StatusOK
}

// Upload PUTs a blob and traces the outcome.
func (c *Client) Upload(ctx context.Context, path string, data []byte) error {
	ctx, span := c.tracer.Start(ctx, "upload "+path)
	var err error
	defer span.EndWithError(err) // HAZ defer-eager-evaluation
	span.SetAttr("bytes", fmt.Sprint(len(data)))
	err = c.do(ctx, http.MethodPut, path, data)
	if err != nil {
		c.log.Error("upload failed", "path", path, "err", err)
	}
	return err
}

// Download GETs a blob and records the outcome on the span at exit.
func (c *Client) Download(ctx context.Context, path string) (data []byte, err error) {
	ctx, span := c.tracer.Start(ctx, "download "+path)
	defer func() { span.EndWithError(err) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Code: resp.StatusCode}
	}
	return io.ReadAll(resp.Body)
}

// SendBatch posts a batch of events and tells upstream the batch ended.
func (c *Client) SendBatch(ctx context.Context, id string, events []any) error {
	defer c.hc.Post(c.base+"/batches/"+id+"/done", "application/json", nil) // HAZ defer-blocking-call
	for i, ev := range events {
		if err := c.PostJSON(ctx, "/batches/"+id+"/events", ev); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

// GetBoth fetches two documents concurrently.
func (c *Client) GetBoth(ctx context.Context, a, b string, va, vb any) error {
	errc := make(chan error)
	go func() {
		errc <- c.GetJSON(ctx, a, va) // HAZ goroutine-blocked-send
	}()
	if err := c.GetJSON(ctx, b, vb); err != nil {
		return err
	}
	return <-errc
}

// GetPair fetches two documents concurrently; the channel has room for
// the goroutine's single send, so an early return leaks nothing.
func (c *Client) GetPair(ctx context.Context, a, b string, va, vb any) error {
	errc := make(chan error, 1)
	go func() {
		errc <- c.GetJSON(ctx, a, va)
	}()
	if err := c.GetJSON(ctx, b, vb); err != nil {
		return err
	}
	return <-errc
}
