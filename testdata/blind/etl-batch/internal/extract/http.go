package extract

import (
	"context"
	"fmt"
	"net/http"

	"example.com/etl/internal/record"
)

// HTTPSource downloads exports from an HTTP API that wants a bearer token.
type HTTPSource struct {
	Client *http.Client
	Token  string
}

// get issues an authenticated GET and returns the response only for 200 OK.
func (h *HTTPSource) get(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if h.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.Token)
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	return resp, nil
}

// FetchCSV downloads a CSV export.
func (h *HTTPSource) FetchCSV(ctx context.Context, url string) ([]record.Record, error) {
	resp, err := h.get(ctx, url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return DecodeCSV(resp.Body, url)
}

// FetchJSONL downloads a JSON-lines export.
func (h *HTTPSource) FetchJSONL(ctx context.Context, url string) ([]record.Record, error) {
	resp, err := h.get(ctx, url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []record.Record
	err = DecodeJSONLines(resp.Body, func(r record.Record) error {
		out = append(out, r)
		return nil
	})
	return out, err
}
