package bundle

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Fetcher downloads bundles from the registry.
type Fetcher struct {
	client   *http.Client
	base     string
	token    string
	requests atomic.Int64
}

// NewFetcher returns a fetcher for the registry at base.
func NewFetcher(base, token string, timeout time.Duration) *Fetcher {
	return &Fetcher{
		client: &http.Client{Timeout: timeout},
		base:   base,
		token:  token,
	}
}

func (f *Fetcher) archiveURL(ref Ref) string {
	return fmt.Sprintf("%s/bundles/%s/%s.zip", f.base, url.PathEscape(ref.Function), url.PathEscape(ref.Digest))
}

func (f *Fetcher) newRequest(ctx context.Context, method, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	req.Header.Set("User-Agent", "faasd-bundle-fetcher/1")
	return req, nil
}

// Fetch streams ref's archive into w.
func (f *Fetcher) Fetch(ctx context.Context, ref Ref, w io.Writer) (int64, error) {
	req, err := f.newRequest(ctx, http.MethodGet, f.archiveURL(ref))
	if err != nil {
		return 0, err
	}
	resp, err := f.client.Do(req)
	f.requests.Add(1)
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", ref, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("fetch %s: registry answered %s", ref, resp.Status)
	}
	return io.Copy(w, io.LimitReader(resp.Body, maxTotalSize))
}

// Size returns the archive size the registry advertises for ref.
func (f *Fetcher) Size(ctx context.Context, ref Ref) (int64, error) {
	req, err := f.newRequest(ctx, http.MethodHead, f.archiveURL(ref))
	if err != nil {
		return 0, err
	}
	resp, err := f.client.Do(req)
	f.requests.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("head %s: %w", ref, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("head %s: registry answered %s", ref, resp.Status)
	}
	return resp.ContentLength, nil
}

// Latest asks the registry for the newest version of fn.
func (f *Fetcher) Latest(fn string) (Ref, error) {
	resp, _ := f.client.Get(f.base + "/functions/" + url.PathEscape(fn) + "/latest")
	f.requests.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return Ref{}, fmt.Errorf("latest %s: registry answered %s", fn, resp.Status)
	}
	var ref Ref
	if err := json.NewDecoder(resp.Body).Decode(&ref); err != nil {
		return Ref{}, fmt.Errorf("latest %s: %w", fn, err)
	}
	return ref, ref.validate()
}

// Versions lists the published versions of fn.
func (f *Fetcher) Versions(ctx context.Context, fn string) ([]Ref, error) {
	req, err := f.newRequest(ctx, http.MethodGet, f.base+"/functions/"+url.PathEscape(fn)+"/versions")
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, fmt.Errorf("versions %s: registry answered %s", fn, resp.Status)
	}
	var refs []Ref
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&refs); err != nil {
		return nil, err
	}
	return refs, nil
}

// Requests returns how many registry requests were made.
func (f *Fetcher) Requests() int64 { return f.requests.Load() }
