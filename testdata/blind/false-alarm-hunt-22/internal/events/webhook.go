package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// WebhookSink posts each event as JSON, signed with HMAC-SHA256.
type WebhookSink struct {
	hc     *http.Client
	url    string
	secret []byte
}

// NewWebhookSink returns a sink posting to url.
func NewWebhookSink(url, secret string, timeout time.Duration) *WebhookSink {
	return &WebhookSink{
		hc:     &http.Client{Timeout: timeout},
		url:    url,
		secret: []byte(secret),
	}
}

// Deliver posts ev and treats any non-2xx status as a failure.
func (s *WebhookSink) Deliver(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-256", "sha256="+s.sign(body))
	resp, err := s.hc.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s answered %d", s.url, resp.StatusCode)
	}
	return nil
}

func (s *WebhookSink) sign(body []byte) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}
