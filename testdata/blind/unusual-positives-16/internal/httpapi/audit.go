// Package httpapi serves the archive catalog and payloads over HTTP.
package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// auditClient posts one line per served request to an audit collector.
type auditClient struct {
	client *http.Client
	url    string
}

func newAuditClient(url string) *auditClient {
	return &auditClient{client: &http.Client{}, url: url}
}

func (a *auditClient) post(event string) {
	if a == nil || a.url == "" {
		return
	}
	resp, err := a.client.Post(a.url, "text/plain", strings.NewReader(event))
	if err != nil {
		return
	}
	_ = resp.Body.Close()
}

func (a *auditClient) postCtx(ctx context.Context, event string) error {
	if a == nil || a.url == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, strings.NewReader(event))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("audit: %s", resp.Status)
	}
	return nil
}
