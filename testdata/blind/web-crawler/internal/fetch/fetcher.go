// Package fetch downloads pages over HTTP: single fetches with retries and a
// body size limit, and a fixed pool of workers fed from a channel.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"time"

	"example.com/crawler/internal/stats"
)

// Page is one fetched document.
type Page struct {
	URL       *url.URL
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool
	FetchedAt time.Time
	Elapsed   time.Duration
}

// Options configure a Fetcher.
type Options struct {
	UserAgent  string
	Timeout    time.Duration
	MaxBody    int64
	Retries    int
	Politeness time.Duration
}

// Fetcher performs HTTP fetches with a body size limit and retries.
type Fetcher struct {
	client *http.Client
	opts   Options
	stats  *stats.Stats
	log    *log.Logger
}

var errTransient = errors.New("transient")

// NewFetcher returns a Fetcher. A nil client gets a default one with
// opts.Timeout and at most five redirects.
func NewFetcher(client *http.Client, opts Options, st *stats.Stats, logger *log.Logger) *Fetcher {
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout, CheckRedirect: limitRedirects(5)}
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 4 << 20
	}
	if st == nil {
		st = stats.New()
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Fetcher{client: client, opts: opts, stats: st, log: logger}
}

func limitRedirects(n int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= n {
			return fmt.Errorf("stopped after %d redirects", n)
		}
		return nil
	}
}

// Fetch downloads u, retrying transient failures.
func (f *Fetcher) Fetch(ctx context.Context, u *url.URL) (*Page, error) {
	defer f.stats.Track("fetch") // HAZ defer-func-result-not-called
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch %s: unsupported scheme", u)
	}
	p, err := f.fetchRetry(ctx, u)
	if err != nil {
		f.stats.Inc("fetch_errors", 1)
		return nil, err
	}
	f.stats.Inc(fmt.Sprintf("status_%dxx", p.Status/100), 1)
	return p, nil
}

// fetchRetry calls do until it succeeds, fails permanently or runs out of
// attempts, backing off exponentially in between.
func (f *Fetcher) fetchRetry(ctx context.Context, u *url.URL) (*Page, error) {
	start := time.Now()
	defer f.stats.ObserveFetch(u.Host, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	backoff := 500 * time.Millisecond
	for attempt := 0; ; attempt++ {
		p, err := f.do(ctx, u)
		if err == nil || !errors.Is(err, errTransient) || attempt >= f.opts.Retries {
			return p, err
		}
		f.log.Printf("fetch %s: attempt %d: %v; retrying in %s", u, attempt+1, err, backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
}

// do performs one GET and reads at most MaxBody bytes of the body.
func (f *Fetcher) do(ctx context.Context, u *url.URL) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	start := time.Now()
	resp, err := f.client.Do(req)
	elapsed := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %v", u, errTransient, err)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("fetch %s: %w: %s", u, errTransient, resp.Status)
	}
	body, truncated, err := readBody(resp.Body, f.opts.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: reading body: %w", u, err)
	}
	return &Page{
		URL:       resp.Request.URL,
		Status:    resp.StatusCode,
		Header:    resp.Header,
		Body:      body,
		Truncated: truncated,
		FetchedAt: start,
		Elapsed:   elapsed,
	}, nil
}

// readBody reads up to limit bytes and reports whether there was more.
func readBody(r io.Reader, limit int64) ([]byte, bool, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(body)) > limit {
		return body[:limit], true, nil
	}
	return body, false, nil
}

// FetchPolitely fetches u and then keeps the calling worker idle for the
// politeness pause, so that one worker never hammers a server back to back.
func (f *Fetcher) FetchPolitely(ctx context.Context, u *url.URL) (*Page, error) {
	if f.opts.Politeness > 0 {
		defer time.Sleep(f.opts.Politeness) // HAZ defer-blocking-call
	}
	return f.Fetch(ctx, u)
}

// FetchWithTimeout is Fetch with a hard deadline, for sitemap and feed probes
// where a slow server must not hold up the caller.
func (f *Fetcher) FetchWithTimeout(ctx context.Context, u *url.URL, d time.Duration) (*Page, error) {
	type result struct {
		page *Page
		err  error
	}
	ch := make(chan result)
	go func() {
		p, err := f.Fetch(ctx, u)
		ch <- result{p, err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.page, r.err
	case <-timer.C:
		return nil, fmt.Errorf("fetch %s: no answer within %s", u, d)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchFirst fetches every candidate (say the http and https forms of a
// seed) and returns the first page that could be fetched.
func (f *Fetcher) FetchFirst(ctx context.Context, candidates []*url.URL) (*Page, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		page *Page
		err  error
	}
	ch := make(chan result, len(candidates))
	for _, u := range candidates {
		go func(u *url.URL) {
			p, err := f.Fetch(ctx, u)
			ch <- result{p, err}
		}(u)
	}
	var errs []error
	for range candidates {
		r := <-ch
		if r.err == nil {
			return r.page, nil
		}
		errs = append(errs, r.err)
	}
	return nil, errors.Join(errs...)
}
