package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Fetcher pulls documents from the upstream content service.
type Fetcher struct {
	client   *http.Client
	base     string
	requests atomic.Int64
}

// NewFetcher returns a fetcher for the service at base.
func NewFetcher(base string, timeout time.Duration) *Fetcher {
	return &Fetcher{client: &http.Client{Timeout: timeout}, base: base}
}

// Requests returns the number of upstream requests made so far.
func (f *Fetcher) Requests() int64 { return f.requests.Load() }

func (f *Fetcher) newRequest(ctx context.Context, path string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/x-ndjson")
	return req, nil
}

// FetchPage fetches one page of the change feed and returns the next cursor.
func (f *Fetcher) FetchPage(ctx context.Context, cursor string) ([]RawDoc, string, error) {
	req, err := f.newRequest(ctx, "/changes?cursor="+url.QueryEscape(cursor))
	if err != nil {
		return nil, "", err
	}
	resp, err := f.client.Do(req)
	f.requests.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("changes: %s", resp.Status)
	}
	var docs []RawDoc
	if err := decodeLines(resp.Body, func(d RawDoc) error {
		docs = append(docs, d)
		return nil
	}); err != nil {
		return nil, "", err
	}
	return docs, resp.Header.Get("X-Next-Cursor"), nil
}

// FetchDoc fetches a single document.
func (f *Fetcher) FetchDoc(ctx context.Context, id string) (RawDoc, error) {
	req, err := f.newRequest(ctx, "/docs/"+url.PathEscape(id))
	if err != nil {
		return RawDoc{}, err
	}
	resp, err := f.client.Do(req)
	f.requests.Add(1)
	if err != nil {
		return RawDoc{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return RawDoc{}, fmt.Errorf("doc %s: %s", id, resp.Status)
	}
	var d RawDoc
	err = json.NewDecoder(resp.Body).Decode(&d)
	return d, err
}

// FetchDocs fetches documents one by one, in order (the upstream has no
// batch endpoint).
func (f *Fetcher) FetchDocs(ctx context.Context, ids []string) ([]RawDoc, error) {
	docs := make([]RawDoc, 0, len(ids))
	for _, id := range ids {
		req, err := f.newRequest(ctx, "/docs/"+url.PathEscape(id))
		if err != nil {
			return nil, err
		}
		resp, err := f.client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("doc %s: %s", id, resp.Status)
		}
		var d RawDoc
		if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// FetchConcurrent fetches ids with at most par requests in flight. The result
// is in the order of ids; failed documents are left zero and reported.
func (f *Fetcher) FetchConcurrent(ctx context.Context, ids []string, par int) ([]RawDoc, []error) {
	docs := make([]RawDoc, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, max(par, 1))
	var wg sync.WaitGroup
	for i, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			docs[i], errs[i] = f.FetchDoc(ctx, id)
		}()
	}
	wg.Wait()
	return docs, errs
}
