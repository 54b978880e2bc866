package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Event is one audit record.
type Event struct {
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Remote  string    `json:"remote"`
	At      time.Time `json:"at"`
}

// AuditClient ships audit events to the audit service.
type AuditClient struct {
	client   *http.Client
	endpoint string
}

// NewAuditClient returns a client posting to endpoint.
func NewAuditClient(client *http.Client, endpoint string) *AuditClient {
	return &AuditClient{client: client, endpoint: endpoint}
}

// Send posts ev to the audit service.
func (a *AuditClient) Send(ctx context.Context, ev Event) error {
	if ev.At.IsZero() {
		ev.At = time.Now().UTC()
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return a.post(ctx, body)
}

// post performs the HTTP request.
func (a *AuditClient) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("audit: %s", resp.Status)
	}
	return nil
}
