//go:build go1.21

package hooks

// This file is shared with the standalone githost-hooks library, which still
// supports Go 1.21, hence the build constraint.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
)

// send adds the webhook headers to req and performs it.
func (r *Runner) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "githost-hooks/1")
	if r.secret != "" {
		req.Header.Set("X-Githost-Token", r.secret)
	}
	return r.client.Do(req)
}

// postWebhook delivers payload to one webhook URL.
func (r *Runner) postWebhook(ctx context.Context, url string, payload []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("webhook %s: %w", url, err)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook %s: %s", url, resp.Status)
	}
	return nil
}

// NotifyAll posts payload to every webhook URL concurrently and returns the failures.
func (r *Runner) NotifyAll(ctx context.Context, urls []string, payload []byte) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, u := range urls {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := r.postWebhook(ctx, u, payload); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		r.logger.Printf("webhook queued: %s", u)
	}
	wg.Wait()
	return errs
}

// PingAll checks which webhook URLs answer a HEAD request.
func (r *Runner) PingAll(ctx context.Context, urls []string) map[string]bool {
	up := make(map[string]bool, len(urls))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
			if err != nil {
				return
			}
			resp, err := r.send(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			mu.Lock()
			up[u] = resp.StatusCode < 400
			mu.Unlock()
		}(u)
	}
	wg.Wait()
	return up
}

// Delivery is one webhook to send.
type Delivery struct {
	URL     string
	Payload []byte
}

// DeliverAsync sends each delivery in the background; failures are logged.
func (r *Runner) DeliverAsync(ctx context.Context, ds []Delivery) {
	for _, d := range ds {
		go func() { // HAZ loop-var-capture
			if err := r.postWebhook(ctx, d.URL, d.Payload); err != nil {
				r.logger.Printf("delivery to %s: %v", d.URL, err)
			}
		}()
		r.logger.Printf("delivery queued: %s", d.URL)
	}
}
