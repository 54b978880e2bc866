package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// backoff returns the pause before retry number attempt (1-based).
func backoff(attempt int) time.Duration {
	return time.Duration(1<<min(attempt, 6)) * 100 * time.Millisecond
}

// GetRetry downloads key, retrying while the peer answers 503.
func (c *Client) GetRetry(ctx context.Context, key string, attempts int) ([]byte, error) {
	lastErr := fmt.Errorf("fetch %s: no attempts", key)
	for attempt := range attempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(backoff(attempt)):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/segments/"+url.PathEscape(key), nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.send(req)
		if err != nil {
			lastErr = err
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode == http.StatusServiceUnavailable {
			lastErr = fmt.Errorf("fetch %s: %s", key, resp.Status)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch %s: %s", key, resp.Status)
		}
		return io.ReadAll(resp.Body)
	}
	return nil, lastErr
}

// GetPatiently is GetRetry with each attempt in its own function, so every
// response body is closed before the next attempt.
func (c *Client) GetPatiently(ctx context.Context, key string, attempts int) ([]byte, error) {
	lastErr := fmt.Errorf("fetch %s: no attempts", key)
	for attempt := range attempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(backoff(attempt)):
			}
		}
		data, retry, err := c.attempt(ctx, key)
		if err == nil {
			return data, nil
		}
		if !retry {
			return nil, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// attempt performs one download; retry reports whether a 503 was seen.
func (c *Client) attempt(ctx context.Context, key string) (data []byte, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/segments/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, true, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		data, err = io.ReadAll(resp.Body)
		return data, false, err
	case http.StatusServiceUnavailable:
		return nil, true, fmt.Errorf("fetch %s: %s", key, resp.Status)
	default:
		return nil, false, fmt.Errorf("fetch %s: %s", key, resp.Status)
	}
}
