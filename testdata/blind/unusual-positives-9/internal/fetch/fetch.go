// Package fetch reads blobs from an origin server over HTTP.
package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

const maxBody = 32 << 20

// Fetcher talks to one origin.
type Fetcher struct {
	hc      *http.Client
	base    string
	timeout time.Duration
	pings   atomic.Int64
}

type result struct {
	body []byte
	err  error
}

// New returns a fetcher for the origin at base (e.g. "http://origin:8080").
func New(base string, timeout time.Duration) *Fetcher {
	return &Fetcher{hc: &http.Client{}, base: strings.TrimSuffix(base, "/"), timeout: timeout}
}

func (f *Fetcher) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", path, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// open starts a GET and returns the response body, or nil and an error.
func (f *Fetcher) open(ctx context.Context, path string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetch %s: %s", path, resp.Status)
	}
	return resp.Body, nil
}

// startFetch fetches path in the background; the result arrives on the returned
// channel.
func (f *Fetcher) startFetch(ctx context.Context, path string) <-chan result {
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		body, err := f.get(ctx, path)
		ch <- result{body: body, err: err}
	}()
	return ch
}

// FetchWithin fetches path and gives up after the fetcher's timeout.
func (f *Fetcher) FetchWithin(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	select {
	case r := <-f.startFetch(ctx, path):
		return r.body, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("fetch %s: %w", path, ctx.Err())
	}
}

// startProbe sends a HEAD for path in the background. The channel has room for the
// one result, so the prober never waits for a reader.
func (f *Fetcher) startProbe(ctx context.Context, path string) <-chan error {
	ch := make(chan error, 1)
	go func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, f.base+path, nil)
		if err == nil {
			var resp *http.Response
			resp, err = f.hc.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode >= 400 {
					err = fmt.Errorf("probe %s: %s", path, resp.Status)
				}
			}
		}
		ch <- err
	}()
	return ch
}

// Probe checks all paths concurrently and reports the error for each (nil if fine).
func (f *Fetcher) Probe(ctx context.Context, paths []string) map[string]error {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	pending := make(map[string]<-chan error, len(paths))
	for _, p := range paths {
		pending[p] = f.startProbe(ctx, p)
	}
	out := make(map[string]error, len(paths))
	for p, ch := range pending {
		select {
		case err := <-ch:
			out[p] = err
		case <-ctx.Done():
			out[p] = ctx.Err()
		}
	}
	return out
}

// FetchAll fetches every path concurrently and returns the bodies in order. It stops
// at the first error.
func (f *Fetcher) FetchAll(ctx context.Context, paths []string) ([][]byte, error) {
	type indexed struct {
		i    int
		body []byte
		err  error
	}
	ch := make(chan indexed, len(paths))
	for i, p := range paths {
		go func() {
			b, err := f.get(ctx, p)
			ch <- indexed{i: i, body: b, err: err}
		}()
	}
	out := make([][]byte, len(paths))
	for range paths {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		out[r.i] = r.body
	}
	return out, nil
}

// Stream copies the body of path to w.
func (f *Fetcher) Stream(ctx context.Context, path string, w io.Writer) (n int64, err error) {
	var body io.ReadCloser
	body, err = f.open(ctx, path)
	defer body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return io.Copy(w, body)
}

// CopyTo is Stream for callers that already hold a deadline.
func (f *Fetcher) CopyTo(ctx context.Context, path string, w io.Writer) (n int64, err error) {
	var body io.ReadCloser
	if body, err = f.open(ctx, path); err != nil {
		return 0, err
	}
	defer body.Close()
	return io.Copy(w, body)
}

// Ping reports whether the origin answers its health endpoint.
func (f *Fetcher) Ping(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, _ := f.hc.Do(req)
	f.pings.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// Pings returns how many pings were sent.
func (f *Fetcher) Pings() int64 { return f.pings.Load() }
