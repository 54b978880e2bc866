package stream

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"

	"example.com/flagsvc/internal/metrics"
)

// Webhook is one configured HTTP endpoint notified about flag changes.
type Webhook struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// Notifier posts change events to webhooks.
type Notifier struct {
	client *http.Client
	hooks  []Webhook
	logf   func(format string, args ...any)
	sent   *metrics.Counter
	failed *metrics.Counter
}

// NewNotifier returns a notifier; client should carry a timeout.
func NewNotifier(client *http.Client, hooks []Webhook, reg *metrics.Registry) *Notifier {
	return &Notifier{
		client: client,
		hooks:  hooks,
		logf:   log.Printf,
		sent:   reg.Counter("webhook_sent_total"),
		failed: reg.Counter("webhook_failed_total"),
	}
}

// Notify posts ev to every webhook concurrently and waits for all deliveries.
func (n *Notifier) Notify(ctx context.Context, ev Event) {
	body, err := json.Marshal(ev)
	if err != nil {
		n.logf("webhook: encode event %d: %v", ev.ID, err)
		return
	}
	var wg sync.WaitGroup
	for _, h := range n.hooks {
		wg.Add(1)
		go func() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
			if err != nil {
				n.logf("webhook %s: %v", h.URL, err)
				n.failed.Inc()
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Flag-Signature", sign(h.Secret, body))
			if err := n.post(req); err != nil {
				n.logf("webhook %s: %v", h.URL, err)
				n.failed.Inc()
			} else {
				n.sent.Inc()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// NotifyBatch delivers several events with at most four in flight.
func (n *Notifier) NotifyBatch(ctx context.Context, evs []Event) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n.Notify(ctx, ev)
		}()
	}
	wg.Wait()
}

// Verify sends a test delivery to every webhook and returns the failures by URL.
func (n *Notifier) Verify(ctx context.Context) map[string]error {
	var (
		mu   sync.Mutex
		errs = make(map[string]error)
		wg   sync.WaitGroup
	)
	for _, h := range n.hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, strings.NewReader(`{"type":"ping"}`))
			if err == nil {
				req.Header.Set("X-Flag-Signature", sign(h.Secret, []byte(`{"type":"ping"}`)))
				err = n.post(req)
			}
			if err != nil {
				mu.Lock()
				errs[h.URL] = err
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errs
}

// Dispatch hands ev to one delivery goroutine per webhook and returns at
// once. A broken webhook configuration must not take the server down.
func (n *Notifier) Dispatch(ctx context.Context, ev Event) {
	defer func() {
		if r := recover(); r != nil {
			n.logf("webhook: dispatch event %d: panic: %v", ev.ID, r)
		}
	}()
	body, err := json.Marshal(ev)
	if err != nil {
		n.logf("webhook: encode event %d: %v", ev.ID, err)
		return
	}
	for _, h := range n.hooks {
		go n.deliverOne(ctx, h, body) // HAZ goroutine-outside-recover
	}
}

func (n *Notifier) deliverOne(ctx context.Context, h Webhook, body []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		n.logf("webhook %s: %v", h.URL, err)
		n.failed.Inc()
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Flag-Signature", sign(h.Secret, body))
	if err := n.post(req); err != nil {
		n.logf("webhook %s: %v", h.URL, err)
		n.failed.Inc()
		return
	}
	n.sent.Inc()
}

func (n *Notifier) post(req *http.Request) error {
	resp, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
