package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// roundTrip sets the standard headers and performs req.
func roundTrip(c *http.Client, req *http.Request) (*http.Response, error) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "up17-ingestd/1.0")
	return c.Do(req)
}

// fetchJSON GETs url and decodes the JSON body into a T.
func fetchJSON[T any](ctx context.Context, c *http.Client, url string) (T, error) {
	var out T
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return out, err
	}
	resp, err := roundTrip(c, req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return out, fmt.Errorf("get %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return out, fmt.Errorf("get %s: %s", url, resp.Status)
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out, err
}

// postJSON POSTs in as JSON and decodes the response into an R. The body
// is closed only once the error has been checked.
func postJSON[In, R any](ctx context.Context, c *http.Client, url string, in In) (R, error) {
	var out R
	body, err := json.Marshal(in)
	if err != nil {
		return out, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := roundTrip(c, req)
	if err != nil {
		return out, fmt.Errorf("post %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return out, fmt.Errorf("post %s: %s", url, resp.Status)
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out, err
}
