// Package httpexp exports batches as JSON to an HTTP endpoint, with a
// bounded in-memory queue, retries with exponential backoff, and an
// optional on-disk spool for batches that exhausted their retries.
package httpexp

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
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
)

// ErrClosed is returned after Shutdown.
var ErrClosed = errors.New("httpexp: exporter closed")

// ErrQueueFull is returned when the queue cannot take the batch.
var ErrQueueFull = errors.New("httpexp: queue full")

// Config configures the exporter.
type Config struct {
	Endpoint   string
	Fallback   []string // tried when Endpoint does not answer at start
	Headers    map[string]string
	Timeout    time.Duration
	QueueSize  int
	Workers    int
	MaxRetries int
	SpoolDir   string
}

// Exporter is the HTTP exporter.
type Exporter struct {
	cfg    Config
	client *http.Client
	logger *log.Logger
	spool  *spool

	mu      sync.Mutex
	queue   chan pdata.Batch
	closed  bool
	pending int

	wg sync.WaitGroup
}

// New returns an exporter; the spool is enabled when SpoolDir is set.
func New(cfg Config, logger *log.Logger) (*Exporter, error) {
	cfg.QueueSize = max(cfg.QueueSize, 1)
	cfg.Workers = max(cfg.Workers, 1)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	e := &Exporter{
		cfg:    cfg,
		client: &http.Client{Timeout: cfg.Timeout},
		logger: logger,
		queue:  make(chan pdata.Batch, cfg.QueueSize),
	}
	if cfg.SpoolDir != "" {
		sp, err := newSpool(cfg.SpoolDir)
		if err != nil {
			return nil, err
		}
		e.spool = sp
	}
	return e, nil
}

// Start replays the spool and starts the workers.
func (e *Exporter) Start(ctx context.Context, _ component.Host) error {
	if len(e.cfg.Fallback) > 0 {
		pctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
		ep, err := e.pickEndpoint(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("httpexp: no endpoint answers: %w", err)
		}
		e.cfg.Endpoint = ep
	}
	if err := e.replaySpool(ctx); err != nil {
		e.logger.Printf("httpexp: spool replay: %v", err)
	}
	for i := 0; i < e.cfg.Workers; i++ {
		e.wg.Add(1)
		go e.worker(i)
	}
	return nil
}

// Consume enqueues b without blocking.
func (e *Exporter) Consume(_ context.Context, b pdata.Batch) error {
	e.mu.Lock() // HAZ lock-leaked-on-return
	if e.closed {
		return ErrClosed
	}
	select {
	case e.queue <- b:
		e.pending++
	default:
		e.mu.Unlock()
		return ErrQueueFull
	}
	e.mu.Unlock()
	return nil
}

// Pending returns the number of queued batches.
func (e *Exporter) Pending() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pending
}

func (e *Exporter) done() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pending--
}

// worker exports queued batches until the queue is closed.
func (e *Exporter) worker(id int) {
	defer e.wg.Done()
	for b := range e.queue {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(e.cfg.MaxRetries+1)*e.cfg.Timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := e.exportBatch(ctx, b); err != nil {
			e.logger.Printf("httpexp: worker %d: %v", id, err)
			e.spoolOrDrop(b)
		}
		e.done()
	}
}

// exportBatch encodes b and sends it with retries.
func (e *Exporter) exportBatch(ctx context.Context, b pdata.Batch) (err error) {
	span := obs.StartSpan("httpexp.export")
	defer span.End(err) // HAZ defer-eager-evaluation
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return e.sendWithRetry(ctx, body)
}

// sendWithRetry retries retryable failures with exponential backoff.
func (e *Exporter) sendWithRetry(ctx context.Context, body []byte) (err error) {
	span := obs.StartSpan("httpexp.send")
	defer func() { span.End(err) }()
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err = e.send(ctx, body)
		var re retryableError
		if err == nil || !errors.As(err, &re) || attempt >= e.cfg.MaxRetries {
			return err
		}
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
			return errors.Join(err, ctx.Err())
		case <-timer.C:
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

type retryableError struct{ status int }

func (r retryableError) Error() string { return fmt.Sprintf("retryable status %d", r.status) }

// send posts body once.
func (e *Exporter) send(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return retryableError{status: 0}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return retryableError{status: resp.StatusCode}
	case resp.StatusCode >= 300:
		return fmt.Errorf("httpexp: %s: %s", e.cfg.Endpoint, resp.Status)
	}
	return nil
}

// Probe checks that the endpoint answers; used by the health checker.
func (e *Exporter) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, e.cfg.Endpoint, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := e.client.Do(req)
	obs.Default.Observe("httpexp.probe", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("httpexp: probe: %w", err)
	}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("httpexp: probe: %s", resp.Status)
	}
	return nil
}

// Shutdown closes the queue and waits for the workers to drain it.
func (e *Exporter) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	close(e.queue)
	e.mu.Unlock()

	done := make(chan struct{})
	go func() {
		defer close(done)
		e.wg.Wait()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("httpexp: %d batches not exported: %w", e.Pending(), ctx.Err())
	}
}

// probeURL sends a HEAD request to url.
func (e *Exporter) probeURL(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

// pickEndpoint probes the endpoint and its fallbacks concurrently and
// returns the first that answers.
func (e *Exporter) pickEndpoint(ctx context.Context) (string, error) {
	cands := append([]string{e.cfg.Endpoint}, e.cfg.Fallback...)
	healthy := make(chan string, len(cands))
	defer close(healthy) // HAZ defer-close-chan-with-sender
	for _, ep := range cands {
		go func(ep string) {
			if e.probeURL(ctx, ep) == nil {
				healthy <- ep
			}
		}(ep)
	}
	select {
	case ep := <-healthy:
		return ep, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ExportNow bypasses the queue; the debug page uses it to test the
// endpoint with a sample batch.
func (e *Exporter) ExportNow(b pdata.Batch) error {
	res := make(chan error)
	go func() {
		res <- e.exportBatch(context.Background(), b) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-time.After(e.cfg.Timeout):
		return fmt.Errorf("httpexp: export did not finish within %s", e.cfg.Timeout)
	}
}
