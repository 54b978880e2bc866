// Package gateway contains the fan-out helpers of the API gateway.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

var errDeadline = errors.New("gateway: aggregation deadline exceeded")

type Page struct {
	URL    string
	Status int
	Body   []byte
}

type fetchResult struct {
	page Page
	err  error
}

// Aggregator builds composite responses from several backend pages.
type Aggregator struct {
	client  *http.Client
	log     *slog.Logger
	timeout time.Duration
}

func (a *Aggregator) fetch(ctx context.Context, url string) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Page{}, err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Page{}, err
	}
	return Page{URL: url, Status: resp.StatusCode, Body: body}, nil
}

// FetchAll fetches every URL and returns what arrived before the deadline.
func (a *Aggregator) FetchAll(ctx context.Context, urls []string) ([]Page, error) {
	results := make(chan fetchResult, len(urls))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		go func() {
			p, err := a.fetch(ctx, u)
			results <- fetchResult{page: p, err: err}
		}()
	}
	timer := time.NewTimer(a.timeout)
	defer timer.Stop()
	pages := make([]Page, 0, len(urls))
	for range urls {
		select {
		case r := <-results:
			if r.err != nil {
				a.log.Warn("backend fetch failed", "err", r.err)
				continue
			}
			pages = append(pages, r.page)
		case <-timer.C:
			return pages, errDeadline
		}
	}
	return pages, nil
}

type probeResult struct {
	addr    string
	latency time.Duration
	err     error
}

// Prober measures TCP connect latency to every backend.
type Prober struct {
	dialer net.Dialer
	log    *slog.Logger
}

func (p *Prober) probe(ctx context.Context, addr string) probeResult {
	start := time.Now()
	conn, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return probeResult{addr: addr, err: err}
	}
	lat := time.Since(start)
	_ = conn.Close()
	return probeResult{addr: addr, latency: lat}
}

// ProbeAll probes all targets concurrently and returns the latencies.
func (p *Prober) ProbeAll(ctx context.Context, targets []string) map[string]time.Duration {
	results := make(chan probeResult, len(targets))
	defer close(results) // ok: wg.Wait below returns only after every sender is done
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- p.probe(ctx, t)
		}()
	}
	wg.Wait()
	out := make(map[string]time.Duration, len(targets))
	for range targets {
		r := <-results
		if r.err != nil {
			p.log.Debug("probe failed", "addr", r.addr, "err", r.err)
			continue
		}
		out[r.addr] = r.latency
	}
	return out
}

// FetchEach fetches every URL and waits for all of them; failures are
// collected, not short-circuited.
func (a *Aggregator) FetchEach(ctx context.Context, urls []string) ([]Page, error) {
	results := make(chan fetchResult, len(urls))
	defer close(results) // ok: exactly len(urls) receives below, one per sender
	for _, u := range urls {
		go func() {
			p, err := a.fetch(ctx, u)
			results <- fetchResult{page: p, err: err}
		}()
	}
	var (
		pages []Page
		errs  []error
	)
	for range urls {
		r := <-results
		if r.err != nil {
			errs = append(errs, fmt.Errorf("fetch: %w", r.err))
			continue
		}
		pages = append(pages, r.page)
	}
	return pages, errors.Join(errs...)
}
