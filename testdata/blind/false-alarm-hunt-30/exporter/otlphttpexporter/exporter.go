// Package otlphttpexporter sends spans and logs as JSON over HTTP, retrying
// with backoff within each request's deadline.
package otlphttpexporter

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/exporter/exporterhelper"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

// Config configures the exporter.
type Config struct {
	Endpoint    string
	Timeout     time.Duration
	Headers     map[string]string
	Compression bool
	Retry       exporterhelper.RetrySettings
}

// Exporter is the OTLP/HTTP-style exporter.
type Exporter struct {
	cfg    Config
	base   *url.URL
	client *http.Client
	obs    *obsreport.Recorder
	logger *log.Logger
}

// New validates cfg.
func New(cfg Config, obs *obsreport.Recorder, logger *log.Logger) (*Exporter, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("otlphttp: endpoint: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("otlphttp: endpoint scheme %q not supported", u.Scheme)
	case u.Host == "":
		return nil, errors.New("otlphttp: endpoint has no host")
	case cfg.Timeout <= 0:
		cfg.Timeout = 10 * time.Second
	}
	return &Exporter{cfg: cfg, base: u, obs: obs, logger: logger}, nil
}

// Start creates the HTTP client.
func (e *Exporter) Start(_ context.Context, _ component.Host) error {
	e.client = &http.Client{Timeout: e.cfg.Timeout}
	return nil
}

// Shutdown drops idle connections; the exporter holds no goroutines.
func (e *Exporter) Shutdown(context.Context) error {
	if e.client != nil {
		e.client.CloseIdleConnections()
	}
	return nil
}

// ConsumeTraces exports b, retrying transient failures.
func (e *Exporter) ConsumeTraces(ctx context.Context, b pdata.Batch) (err error) {
	defer func() { e.obs.EndExport(b.Len(), err) }()
	body, err := e.encode(b)
	if err != nil {
		return exporterhelper.NewPermanent(err)
	}
	return e.cfg.Retry.Do(ctx, func(ctx context.Context) error {
		return e.exportBounded(ctx, "/v1/traces", body)
	})
}

// ConsumeLogs exports log records, retrying transient failures.
func (e *Exporter) ConsumeLogs(ctx context.Context, logs []pdata.LogRecord) error {
	var err error
	defer e.obs.EndExport(len(logs), err) // HAZ defer-eager-evaluation
	body, err := e.encode(logs)
	if err != nil {
		return exporterhelper.NewPermanent(err)
	}
	err = e.cfg.Retry.Do(ctx, func(ctx context.Context) error {
		return e.exportWithDeadline(ctx, "/v1/logs", body)
	})
	return err
}

// encode marshals v to JSON, gzipped when compression is on.
func (e *Exporter) encode(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil || !e.cfg.Compression {
		return raw, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close()
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exportBounded runs one send under the per-request timeout. The result
// channel has room for the one result, so the sender never blocks even when
// this function has already given up.
func (e *Exporter) exportBounded(ctx context.Context, path string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	result := make(chan error, 1)
	go func() {
		result <- e.send(ctx, path, body)
	}()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return fmt.Errorf("otlphttp %s: %w", path, ctx.Err())
	}
}

// exportWithDeadline is the same bound for the logs path.
func (e *Exporter) exportWithDeadline(ctx context.Context, path string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	result := make(chan error)
	go func() {
		result <- e.send(ctx, path, body) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return fmt.Errorf("otlphttp %s: %w", path, ctx.Err())
	}
}

// send performs one POST and classifies the response.
func (e *Exporter) send(ctx context.Context, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base.JoinPath(path).String(), bytes.NewReader(body))
	if err != nil {
		return exporterhelper.NewPermanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if e.cfg.Compression {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return classify(resp, msg)
}

// classify maps an HTTP status to nil, a retryable, throttled or permanent
// error.
func classify(resp *http.Response, msg []byte) error {
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		err := fmt.Errorf("server busy: %s: %s", resp.Status, bytes.TrimSpace(msg))
		if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs > 0 {
			return &exporterhelper.ThrottleError{Err: err, Delay: time.Duration(secs) * time.Second}
		}
		return err
	case code >= 400 && code < 500:
		return exporterhelper.NewPermanent(fmt.Errorf("rejected: %s: %s", resp.Status, bytes.TrimSpace(msg)))
	default:
		return fmt.Errorf("server error: %s", resp.Status)
	}
}

// Probe checks that the endpoint accepts TCP connections; the health check
// extension calls it for readiness.
func (e *Exporter) Probe(ctx context.Context) error {
	port := e.base.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[e.base.Scheme]
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(e.base.Hostname(), port))
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("otlphttp: endpoint %s unreachable: %w", e.base.Host, err)
	}
	return nil
}
