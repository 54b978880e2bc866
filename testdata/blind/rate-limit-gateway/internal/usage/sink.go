package usage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Sink receives shipped batches.
type Sink interface {
	Send(ctx context.Context, b Batch) error
}

// HTTPSink posts batches as JSON to a collector.
type HTTPSink struct {
	Name   string
	URL    string
	Client *http.Client
}

// Send posts b and expects a 2xx answer.
func (s *HTTPSink) Send(ctx context.Context, b Batch) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: %s: %s", s.Name, resp.Status, bytes.TrimSpace(msg))
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Ping checks that the collector answers its health endpoint.
func (s *HTTPSink) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", s.Name, resp.Status)
	}
	return nil
}

// SinkName returns the name of s (used as the key of probe results).
func (s *HTTPSink) SinkName() string { return s.Name }

// SendWithRetry is Send with a single retry when the collector is briefly
// unavailable.
func (s *HTTPSink) SendWithRetry(ctx context.Context, b Batch) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	post := func() (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return s.Client.Do(req)
	}
	resp, err := post()
	if err != nil {
		return err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusServiceUnavailable {
		time.Sleep(retryDelay)
		resp, err = post()
		if err != nil {
			return err
		}
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", s.Name, resp.Status)
	}
	return nil
}

const retryDelay = 250 * time.Millisecond
