// Package fetch downloads mirror sources over HTTP.
package fetch

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

// Source is one upstream to mirror.
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Result is the outcome of fetching one source.
type Result struct {
	Name string
	Body []byte
	Err  error
}

// Fetcher downloads sources with a shared client.
type Fetcher struct {
	client  *http.Client
	log     *log.Logger
	maxBody int64
}

// New returns a fetcher that reads at most 64 MiB per source.
func New(client *http.Client, l *log.Logger) *Fetcher {
	return &Fetcher{client: client, log: l, maxBody: 64 << 20}
}

// Fetch downloads one source.
func (f *Fetcher) Fetch(ctx context.Context, src Source) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", src.URL, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, f.maxBody))
}

func (f *Fetcher) fetchOne(ctx context.Context, src Source) Result {
	body, err := f.Fetch(ctx, src)
	return Result{Name: src.Name, Body: body, Err: err}
}

// Ping reports the status code a HEAD request to src gets.
func (f *Fetcher) Ping(ctx context.Context, src Source) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, src.URL, nil)
	if err != nil {
		return 0
	}
	do := f.client.Do
	resp, _ := do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode
}

// FetchAll downloads every source concurrently and fails on the first error.
func (f *Fetcher) FetchAll(ctx context.Context, sources map[string]Source) (map[string][]byte, error) {
	results := make(chan Result)
	for _, src := range sources {
		go func() { results <- f.fetchOne(ctx, src) }() // HAZ goroutine-blocked-send
	}
	out := make(map[string][]byte, len(sources))
	for range sources {
		r := <-results
		if r.Err != nil {
			return nil, fmt.Errorf("fetch %s: %w", r.Name, r.Err)
		}
		out[r.Name] = r.Body
	}
	return out, nil
}

// FetchAllBuffered is FetchAll with room for every sender, so the early
// return leaves no goroutine blocked; the deferred cancel stops the rest.
func (f *Fetcher) FetchAllBuffered(ctx context.Context, sources map[string]Source) (map[string][]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result, len(sources))
	for _, src := range sources {
		go func() { results <- f.fetchOne(ctx, src) }()
	}
	out := make(map[string][]byte, len(sources))
	for range sources {
		r := <-results
		if r.Err != nil {
			return nil, fmt.Errorf("fetch %s: %w", r.Name, r.Err)
		}
		out[r.Name] = r.Body
	}
	return out, nil
}

// FetchWithDeadline gives up after d; the one sender has a buffered slot.
func (f *Fetcher) FetchWithDeadline(ctx context.Context, src Source, d time.Duration) ([]byte, error) {
	done := make(chan Result, 1)
	go func() { done <- f.fetchOne(ctx, src) }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.Body, r.Err
	case <-timer.C:
		return nil, fmt.Errorf("%s: no answer within %s", src.Name, d)
	}
}

// FetchFirst returns the first mirror that answers. The channel is
// unbuffered, but every sender also selects on ctx.Done and ctx is
// cancelled when FetchFirst returns.
func (f *Fetcher) FetchFirst(ctx context.Context, mirrors []Source) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result)
	for _, m := range mirrors {
		go func() {
			r := f.fetchOne(ctx, m)
			select {
			case results <- r:
			case <-ctx.Done():
			}
		}()
	}
	var lastErr error
	for range mirrors {
		select {
		case r := <-results:
			if r.Err == nil {
				return r, nil
			}
			lastErr = r.Err
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	return Result{}, lastErr
}
