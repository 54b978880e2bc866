// Package pipeline moves payloads from their origin into the archive.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Fetcher downloads source documents over HTTP.
type Fetcher struct {
	Client  *http.Client
	MaxBody int64
}

type fetchResult struct {
	body []byte
	err  error
}

// pending is one in-flight download.
type pending struct {
	url  string
	done chan fetchResult
}

// Fetch downloads url and gives up as soon as ctx ends.
func (f *Fetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	p := &pending{url: url, done: make(chan fetchResult)}
	go func() {
		body, err := f.get(ctx, p.url)
		p.done <- fetchResult{body: body, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-p.done:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *Fetcher) get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	limit := f.MaxBody
	if limit <= 0 {
		limit = 64 << 20
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

// FetchWithin is Fetch with the sender also watching ctx.
func (f *Fetcher) FetchWithin(ctx context.Context, url string, d time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	p := &pending{url: url, done: make(chan fetchResult)}
	go func() {
		body, err := f.get(ctx, p.url)
		select {
		case p.done <- fetchResult{body: body, err: err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-p.done:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type indexed struct {
	i int
	fetchResult
}

type batch struct {
	results chan indexed
}

// FetchAll downloads every url concurrently; it stops at the first error.
func (f *Fetcher) FetchAll(ctx context.Context, urls []string) ([][]byte, error) {
	b := &batch{results: make(chan indexed, len(urls))}
	for i, u := range urls {
		go func() {
			body, err := f.get(ctx, u)
			b.results <- indexed{i: i, fetchResult: fetchResult{body: body, err: err}}
		}()
	}
	out := make([][]byte, len(urls))
	for range urls {
		select {
		case r := <-b.results:
			if r.err != nil {
				return nil, r.err
			}
			out[r.i] = r.body
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// probeCall is one reachability check.
type probeCall struct {
	target string
	out    chan error
}

// Reachable reports whether url answers a HEAD request within timeout.
func (f *Fetcher) Reachable(url string, timeout time.Duration) error {
	c := &probeCall{target: url, out: make(chan error)}
	go f.head(c) // HAZ goroutine-blocked-send
	select {
	case err := <-c.out:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("probe %s: no answer within %s", url, timeout)
	}
}

func (f *Fetcher) head(c *probeCall) {
	resp, err := f.Client.Head(c.target)
	if err == nil {
		err = resp.Body.Close()
	}
	c.out <- err
}

// ReachableAll checks every url and returns the errors by url.
func (f *Fetcher) ReachableAll(urls []string) map[string]error {
	calls := make([]*probeCall, len(urls))
	for i, u := range urls {
		calls[i] = &probeCall{target: u, out: make(chan error)}
		go f.head(calls[i])
	}
	errs := make(map[string]error)
	for _, c := range calls {
		if err := <-c.out; err != nil {
			errs[c.target] = err
		}
	}
	return errs
}
