// Package fetch looks up asset metadata on the remote mirrors.
package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Meta is remote metadata about an asset.
type Meta struct {
	ID      string `json:"id"`
	Mime    string `json:"mime"`
	Owner   string `json:"owner"`
	License string `json:"license"`
}

// Fetcher queries the metadata mirrors.
type Fetcher struct {
	client  *http.Client
	mirrors []string
}

// New returns a fetcher for the given mirrors.
func New(mirrors []string, timeout time.Duration) *Fetcher {
	return &Fetcher{client: &http.Client{Timeout: timeout}, mirrors: mirrors}
}

// fetchOne fetches the metadata of id from one mirror.
func (f *Fetcher) fetchOne(ctx context.Context, mirror, id string) (Meta, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mirror+"/assets/"+url.PathEscape(id), nil)
	if err != nil {
		return Meta{}, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return Meta{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Meta{}, fmt.Errorf("fetch: %s: %s", mirror, resp.Status)
	}
	var m Meta
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return Meta{}, fmt.Errorf("fetch: %s: %w", mirror, err)
	}
	return m, nil
}

// field fetches one plain-text metadata field of id from the first mirror.
func (f *Fetcher) field(ctx context.Context, id, name string) (string, error) {
	if len(f.mirrors) == 0 {
		return "", fmt.Errorf("fetch: no mirrors configured")
	}
	u := f.mirrors[0] + "/assets/" + url.PathEscape(id) + "/" + name
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch: %s of %s: %s", name, id, resp.Status)
	}
	return strings.TrimSpace(string(b)), nil
}

func (f *Fetcher) lookupMime(ctx context.Context, id string) (string, error) {
	return f.field(ctx, id, "mime")
}

func (f *Fetcher) lookupOwner(ctx context.Context, id string) (string, error) {
	return f.field(ctx, id, "owner")
}

func (f *Fetcher) lookupLicense(ctx context.Context, id string) (string, error) {
	return f.field(ctx, id, "license")
}

// probe issues a HEAD request; the client timeout bounds it.
func (f *Fetcher) probe(u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodHead, u, nil)
	if err != nil {
		return nil, err
	}
	return f.client.Do(req)
}
