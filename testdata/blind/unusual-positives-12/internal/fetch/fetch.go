// Package fetch downloads objects from upstream mirrors.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Fetcher downloads objects with bounded time.
type Fetcher struct {
	client  *http.Client
	dialer  net.Dialer
	timeout time.Duration
	retries int
	log     *log.Logger

	mu     sync.Mutex
	parsed map[string]int
}

type result struct {
	url  string
	body []byte
	err  error
}

var errTimeout = errors.New("fetch: timed out")

// New returns a Fetcher.
func New(client *http.Client, timeout time.Duration, logger *log.Logger) *Fetcher {
	if client == nil {
		client = http.DefaultClient
	}
	return &Fetcher{client: client, timeout: timeout, retries: 3, log: logger, parsed: make(map[string]int)}
}

// fetch downloads url.
func (f *Fetcher) fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch: %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// get is fetch reporting on a channel.
func (f *Fetcher) get(ctx context.Context, url string, out chan<- result) {
	body, err := f.fetch(ctx, url)
	out <- result{url: url, body: body, err: err}
}

// FetchWithDeadline downloads url but gives up after the fetcher's timeout.
func (f *Fetcher) FetchWithDeadline(ctx context.Context, url string) ([]byte, error) {
	ch := make(chan result)
	go f.get(ctx, url, ch) // HAZ goroutine-blocked-send
	select {
	case r := <-ch:
		return r.body, r.err
	case <-time.After(f.timeout):
		return nil, errTimeout
	}
}

// FetchWithTimeout is FetchWithDeadline with a cancelable context: the
// sender gets a one-slot buffer so it can always finish.
func (f *Fetcher) FetchWithTimeout(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	ch := make(chan result, 1)
	go f.get(ctx, url, ch)
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchFirst asks every mirror and returns the first success. The channel
// holds one slot per mirror, so losers never block.
func (f *Fetcher) FetchFirst(ctx context.Context, path string, mirrors []string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan result, len(mirrors))
	for _, m := range mirrors {
		go f.get(ctx, m+path, ch)
	}
	var errs []error
	for range mirrors {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.body, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}
