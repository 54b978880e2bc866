// Package scrape collects metrics from kvd replicas in the Prometheus
// text exposition format.
package scrape

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/fah11/internal/lifecycle"
)

// Target is one endpoint to scrape.
type Target struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Sample is one scraped value.
type Sample struct {
	Target string
	Name   string
	Value  float64
	At     time.Time
}

// Scraper fetches and parses metrics pages.
type Scraper struct {
	client  *http.Client
	timeout time.Duration
	logger  *log.Logger
	limiter *lifecycle.Limiter // optional cap on concurrent scrapes
}

// NewScraper returns a scraper that gives each target timeout to answer.
func NewScraper(client *http.Client, timeout time.Duration, logger *log.Logger) *Scraper {
	return &Scraper{client: client, timeout: timeout, logger: logger}
}

// WithLimit caps the number of concurrent scrapes.
func (s *Scraper) WithLimit(n int) *Scraper {
	s.limiter = lifecycle.NewLimiter(n)
	return s
}

func (s *Scraper) scrapeOne(ctx context.Context, t Target) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: unexpected status %s", t.Name, resp.Status)
	}
	return parseExposition(resp.Body, t.Name, time.Now())
}

// scrapeLimited scrapes t while holding a slot of the scraper's limiter,
// when one is configured.
func (s *Scraper) scrapeLimited(ctx context.Context, t Target) ([]Sample, error) {
	var release func()
	if s.limiter != nil {
		r, err := s.limiter.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	return s.scrapeOne(ctx, t)
}

// parseExposition parses "name value" lines, skipping comments.
func parseExposition(r io.Reader, target string, at time.Time) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s: malformed line %q", target, line)
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", target, err)
		}
		out = append(out, Sample{Target: target, Name: fields[0], Value: v, At: at})
	}
	return out, sc.Err()
}

// ScrapeAll scrapes every target concurrently. Failed targets are logged
// and skipped.
func (s *Scraper) ScrapeAll(ctx context.Context, targets []Target) []Sample {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out []Sample
	)
	for _, t := range targets {
		wg.Add(1)
		go func() {
			samples, err := s.scrapeOne(ctx, t)
			if err != nil {
				s.logger.Printf("scrape %s: %v", t.Name, err)
				return
			}
			mu.Lock()
			out = append(out, samples...)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// Stream scrapes every target and delivers samples as they arrive. The
// channel is closed once all scrapes have finished; abandon it by
// cancelling ctx.
func (s *Scraper) Stream(ctx context.Context, targets []Target) <-chan Sample {
	out := make(chan Sample)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, t := range targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				samples, err := s.scrapeLimited(ctx, t)
				if err != nil {
					s.logger.Printf("scrape %s: %v", t.Name, err)
					return
				}
				for _, smp := range samples {
					select {
					case out <- smp:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		wg.Wait()
	}()
	return out
}

type probeResult struct {
	name string
	err  error
}

// Probe returns the names of the targets that answered before ctx expired.
func (s *Scraper) Probe(ctx context.Context, targets []Target) []string {
	results := make(chan probeResult, len(targets))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go func() {
			results <- probeResult{name: t.Name, err: s.ping(ctx, t)}
		}()
	}

	var alive []string
	for range targets {
		select {
		case r := <-results:
			if r.err == nil {
				alive = append(alive, r.name)
			}
		case <-ctx.Done():
			return alive
		}
	}
	return alive
}

// Collect scrapes targets concurrently and returns at most max samples,
// stopping as soon as it has enough.
func (s *Scraper) Collect(ctx context.Context, targets []Target, max int) []Sample {
	batches := make(chan []Sample, len(targets))
	defer close(batches) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go s.scrapeInto(ctx, t, batches)
	}

	var out []Sample
	for range targets {
		out = append(out, <-batches...)
		if len(out) >= max {
			return out[:max]
		}
	}
	return out
}

// scrapeInto scrapes t and sends its samples, possibly none, on dst.
func (s *Scraper) scrapeInto(ctx context.Context, t Target, dst chan<- []Sample) {
	samples, err := s.scrapeOne(ctx, t)
	if err != nil {
		s.logger.Printf("scrape %s: %v", t.Name, err)
	}
	dst <- samples
}

// FirstHealthy returns the first target that answers a ping.
func (s *Scraper) FirstHealthy(ctx context.Context, targets []Target) (Target, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	found := make(chan Target)
	for _, t := range targets {
		go func() {
			if s.ping(ctx, t) == nil {
				found <- t // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case t := <-found:
		return t, nil
	case <-ctx.Done():
		return Target{}, fmt.Errorf("no healthy target among %d: %w", len(targets), ctx.Err())
	}
}

// ScrapeSequential scrapes targets one after another, for exporters that
// must not be hit concurrently.
func (s *Scraper) ScrapeSequential(ctx context.Context, targets []Target) ([]Sample, error) {
	var out []Sample
	for _, t := range targets {
		tctx, cancel := context.WithTimeout(ctx, s.timeout)
		defer cancel() // HAZ defer-in-loop
		samples, err := s.scrapeOne(tctx, t)
		if err != nil {
			return out, err
		}
		out = append(out, samples...)
	}
	return out, nil
}

func (s *Scraper) ping(ctx context.Context, t Target) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, t.URL, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ScrapeGroups scrapes several named groups of targets and fails as a
// whole if any target fails.
func (s *Scraper) ScrapeGroups(ctx context.Context, groups map[string][]Target) (map[string][]Sample, error) {
	g, ctx := WithContext(ctx)
	var mu sync.Mutex
	out := make(map[string][]Sample, len(groups))
	for name, targets := range groups {
		for _, t := range targets {
			g.Go(func() error {
				samples, err := s.scrapeOne(ctx, t)
				if err != nil {
					return fmt.Errorf("group %s: %w", name, err)
				}
				mu.Lock()
				defer mu.Unlock()
				out[name] = append(out[name], samples...)
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
