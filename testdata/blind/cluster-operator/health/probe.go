package health

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxProbeBody bounds how much of a replica's health response is read.
const maxProbeBody = 4 << 10

// ProbeHTTP checks a replica's HTTP health endpoint and returns the
// round-trip latency.
func ProbeHTTP(ctx context.Context, client *http.Client, url string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	resp, _ := client.Do(req)
	latency := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return latency, fmt.Errorf("probe %s: status %s", url, resp.Status)
	}
	return latency, nil
}

// ProbeBody fetches a replica's health endpoint and returns its body, at
// most maxProbeBody bytes of it.
func ProbeBody(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("probe %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("probe %s: status %s", url, resp.Status)
	}
	return string(body), nil
}

// HTTPCheck turns a replica endpoint into a CheckFunc.
func HTTPCheck(client *http.Client, url string) CheckFunc {
	return func(ctx context.Context) error {
		_, err := ProbeBody(ctx, client, url)
		return err
	}
}
