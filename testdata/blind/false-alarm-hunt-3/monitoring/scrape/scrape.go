// Package scrape implements the metrics scraper: target pools, fan-out
// scrapes, sample parsing and the rule evaluator.
package scrape

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sample is one parsed metric sample.
type Sample struct {
	Name  string
	Value float64
	TS    time.Time
}

// Target is one scrape endpoint.
type Target struct {
	URL      string
	Labels   map[string]string
	mu       sync.Mutex
	lastErr  error
	lastDur  time.Duration
	lastSeen time.Time
	health   string
}

// report stores the outcome of a scrape.
func (t *Target) report(dur time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastDur = dur
	t.lastErr = err
	t.lastSeen = time.Now()
	if err != nil {
		t.health = "down"
		return
	}
	t.health = "up"
}

// Health returns the last health and error.
func (t *Target) Health() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.health, t.lastErr
}

// Scraper fetches targets over HTTP.
type Scraper struct {
	Client  *http.Client
	Timeout time.Duration
}

// scrape fetches one target and records the outcome on it.
func (s *Scraper) scrape(ctx context.Context, t *Target) ([]Sample, error) {
	start := time.Now()
	samples, err := s.fetch(ctx, t)
	t.report(time.Since(start), err)
	return samples, err
}

// fetch fetches and parses one target. The response body is closed only
// after the error check.
func (s *Scraper) fetch(ctx context.Context, t *Target) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", t.URL, resp.StatusCode)
	}
	return parse(resp.Body, time.Now())
}

// parse reads the text exposition format (name value per line).
func parse(r io.Reader, ts time.Time) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("bad line %q", line)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("bad value in %q: %w", line, err)
		}
		out = append(out, Sample{Name: name, Value: v, TS: ts})
	}
	return out, sc.Err()
}

// result is what a scrape goroutine reports.
type result struct {
	target  *Target
	samples []Sample
	err     error
}

// ScrapeAll scrapes every target concurrently. The results channel has one
// slot per target, so no sender can block even when we return early on ctx.
func (s *Scraper) ScrapeAll(ctx context.Context, targets []*Target) (map[string][]Sample, error) {
	results := make(chan result, len(targets)) // ok: buffered to the number of senders
	for _, t := range targets {
		go func() { // ok: per-iteration t at go1.22
			samples, err := s.scrape(ctx, t)
			results <- result{target: t, samples: samples, err: err}
		}()
	}
	out := make(map[string][]Sample, len(targets))
	var errs []error
	for range targets {
		select {
		case r := <-results:
			if r.err != nil {
				errs = append(errs, r.err)
				continue
			}
			out[r.target.URL] = r.samples
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, errors.Join(errs...)
}

// ScrapeFirst returns the samples of whichever replica answers first.
func (s *Scraper) ScrapeFirst(ctx context.Context, replicas []*Target) ([]Sample, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first := make(chan result) // unbuffered on purpose: senders select on ctx
	for _, t := range replicas {
		go func() {
			samples, err := s.scrape(ctx, t)
			select {
			case first <- result{target: t, samples: samples, err: err}: // ok: context-aware send
			case <-ctx.Done():
			}
		}()
	}
	var lastErr error
	for range replicas {
		select {
		case r := <-first:
			if r.err == nil {
				return r.samples, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, lastErr
}

// ScrapeWithDeadline scrapes a single target, giving up after d.
func (s *Scraper) ScrapeWithDeadline(ctx context.Context, t *Target, d time.Duration) ([]Sample, error) {
	done := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		samples, err := s.scrape(ctx, t)
		done <- result{target: t, samples: samples, err: err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.samples, r.err
	case <-timer.C:
		return nil, fmt.Errorf("scrape %s: deadline %s exceeded", t.URL, d)
	}
}

// ScrapeBounded is ScrapeWithDeadline with the result slot buffered.
func (s *Scraper) ScrapeBounded(ctx context.Context, t *Target, d time.Duration) ([]Sample, error) {
	done := make(chan result, 1) // ok: the late sender finds a free slot
	go func() {
		samples, err := s.scrape(ctx, t)
		done <- result{target: t, samples: samples, err: err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.samples, r.err
	case <-timer.C:
		return nil, fmt.Errorf("scrape %s: deadline %s exceeded", t.URL, d)
	}
}

// Pool scrapes its targets on an interval.
type Pool struct {
	mu      sync.RWMutex
	targets map[string]*Target
	latest  map[string][]Sample
	s       *Scraper
}

// NewPool returns an empty pool.
func NewPool(s *Scraper) *Pool {
	return &Pool{targets: map[string]*Target{}, latest: map[string][]Sample{}, s: s}
}

// Sync replaces the target set.
func (p *Pool) Sync(urls []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := make(map[string]bool, len(urls))
	for _, u := range urls {
		keep[u] = true
		if _, ok := p.targets[u]; !ok {
			p.targets[u] = &Target{URL: u, Labels: map[string]string{}}
		}
	}
	for u := range p.targets {
		if !keep[u] {
			delete(p.targets, u)
			delete(p.latest, u)
		}
	}
}

// targetsSnapshot copies the target list under the read lock.
func (p *Pool) targetsSnapshot() []*Target {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]*Target, 0, len(p.targets))
	for _, t := range p.targets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// scrapeOnce scrapes all targets and stores the results.
func (p *Pool) scrapeOnce(ctx context.Context) error {
	res, err := p.s.ScrapeAll(ctx, p.targetsSnapshot())
	p.mu.Lock()
	defer p.mu.Unlock()
	for u, samples := range res {
		if _, ok := p.targets[u]; ok {
			p.latest[u] = samples
		}
	}
	return err
}

// Run scrapes every interval until ctx ends.
func (p *Pool) Run(ctx context.Context, interval time.Duration, onErr func(error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if err := p.scrapeOnce(ctx); err != nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Latest returns a copy of the latest samples for url.
func (p *Pool) Latest(url string) []Sample {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]Sample(nil), p.latest[url]...)
}

// ScrapeEach scrapes targets concurrently and stores each target's health.
func (p *Pool) ScrapeEach(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range p.targetsSnapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: deferred, every path reaches it
			samples, err := p.s.scrape(ctx, t)
			if err != nil {
				return
			}
			p.mu.Lock()
			p.latest[t.URL] = samples
			p.mu.Unlock()
		}()
	}
	wg.Wait()
}

// ProbeEach checks reachability of every target.
func (p *Pool) ProbeEach(ctx context.Context) map[string]bool {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = map[string]bool{}
	)
	for _, t := range p.targetsSnapshot() {
		wg.Add(1)
		go func() {
			_, err := p.s.scrape(ctx, t)
			if err != nil {
				return
			}
			mu.Lock()
			out[t.URL] = true
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}
