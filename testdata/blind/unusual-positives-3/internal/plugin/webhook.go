package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Event is a notification forwarded to external systems.
type Event struct {
	Plugin string    `json:"plugin"`
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
}

// WebhookSink posts events to an HTTP endpoint.
type WebhookSink struct {
	url    string
	client *http.Client
	sent   atomic.Int64
}

// NewWebhookSink returns a sink posting to url.
func NewWebhookSink(url string, timeout time.Duration) *WebhookSink {
	return &WebhookSink{url: url, client: &http.Client{Timeout: timeout}}
}

// Send posts ev to the webhook endpoint.
func (w *WebhookSink) Send(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, _ := w.client.Do(req)
	w.sent.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook %s: %s", w.url, resp.Status)
	}
	return nil
}

// Ping checks that the endpoint answers.
func (w *WebhookSink) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, w.url, nil)
	if err != nil {
		return err
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook ping: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook ping: %s", resp.Status)
	}
	return nil
}

// webhookPlugin exposes a WebhookSink as a plugin.
type webhookPlugin struct {
	sink *WebhookSink
}

func (p *webhookPlugin) Name() string { return "webhook" }

func (p *webhookPlugin) Init(ctx context.Context, cfg Config) error {
	if cfg["url"] == "" {
		return fmt.Errorf("webhook: url not configured")
	}
	p.sink = NewWebhookSink(cfg["url"], 5*time.Second)
	return p.sink.Ping(ctx)
}

func (p *webhookPlugin) Handle(ctx context.Context, req Request) (Response, error) {
	ev := Event{Plugin: "webhook", Kind: req.Op, At: time.Now()}
	if err := p.sink.Send(ctx, ev); err != nil {
		return Response{Status: 502}, err
	}
	return Response{Status: 200}, nil
}

func (p *webhookPlugin) Close() error { return nil }
