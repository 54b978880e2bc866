package monitor

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/fah19/internal/group"
	"example.com/fah19/internal/retry"
	"example.com/fah19/internal/timeutil"
)

// Target is a process whose /metrics page is scraped.
type Target struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Sample is one scraped value.
type Sample struct {
	Target string
	Name   string
	Value  float64
}

// Scraper pulls metrics from a fixed set of targets.
type Scraper struct {
	hc       *http.Client
	targets  []Target
	timeout  time.Duration
	interval time.Duration
	logf     func(format string, args ...any)
}

// NewScraper returns a scraper that gives each target timeout per scrape.
func NewScraper(targets []Target, timeout, interval time.Duration) *Scraper {
	return &Scraper{
		hc:       &http.Client{},
		targets:  targets,
		timeout:  timeout,
		interval: interval,
		logf:     log.Printf,
	}
}

// scrapeOne fetches and parses one target's metrics page.
func (s *Scraper) scrapeOne(ctx context.Context, t Target) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", t.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", t.Name, resp.Status)
	}
	return parseSamples(t.Name, resp.Body)
}

// parseSamples parses "name value" lines, skipping comments.
func parseSamples(target string, r io.Reader) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s: malformed line %q", target, line)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", target, name, err)
		}
		out = append(out, Sample{Target: target, Name: name, Value: v})
	}
	return out, sc.Err()
}

// ScrapeAll scrapes every target concurrently and returns what it got;
// failed targets are logged and skipped.
func (s *Scraper) ScrapeAll(ctx context.Context) []Sample {
	var (
		mu  sync.Mutex
		all []Sample
		wg  sync.WaitGroup
	)
	for _, t := range s.targets {
		wg.Add(1)
		go func() {
			samples, err := s.scrapeOne(ctx, t)
			if err != nil {
				s.logf("scraper: %v", err)
				return
			}
			mu.Lock()
			all = append(all, samples...)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return all
}

// ScrapeLimited scrapes with at most limit requests in flight and fails as
// a whole if any target fails.
func (s *Scraper) ScrapeLimited(ctx context.Context, limit int) ([]Sample, error) {
	g, ctx := group.WithContext(ctx)
	g.SetLimit(limit)
	results := make([][]Sample, len(s.targets))
	for i, t := range s.targets {
		g.Go(func() error {
			samples, err := s.scrapeOne(ctx, t)
			if err != nil {
				return err
			}
			results[i] = samples
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(results...), nil
}

// Run scrapes every interval until ctx is done and hands the results to
// sink.
func (s *Scraper) Run(ctx context.Context, sink func([]Sample)) {
	var t timeutil.Timer
	defer t.Stop()
	for {
		t.Reset(s.interval)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			t.Read = true
			sink(s.ScrapeAll(ctx))
		}
	}
}

// Pusher forwards samples to a remote-write endpoint over a line protocol.
type Pusher struct {
	addr    string
	timeout time.Duration
	retry   retry.Options
	queue   chan []Sample
}

// NewPusher returns a pusher with room for depth pending batches.
func NewPusher(addr string, depth int) *Pusher {
	return &Pusher{addr: addr, timeout: 5 * time.Second, retry: retry.DefaultOptions, queue: make(chan []Sample, depth)}
}

// Enqueue hands a batch to the pusher, dropping it if the queue is full.
func (p *Pusher) Enqueue(batch []Sample) bool {
	select {
	case p.queue <- batch:
		return true
	default:
		return false
	}
}

// Run pushes queued batches until ctx is done. Each attempt's connection is
// opened and closed inside pushBatch.
func (p *Pusher) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case batch := <-p.queue:
			err := retry.Do(ctx, p.retry, func(ctx context.Context, _ int) error {
				return p.pushBatch(ctx, batch)
			})
			if err != nil {
				log.Printf("pusher: dropped %d samples: %v", len(batch), err)
			}
		}
	}
}

// pushBatch writes one batch over a fresh connection.
func (p *Pusher) pushBatch(ctx context.Context, batch []Sample) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	if err := conn.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	for _, s := range batch {
		if _, err := fmt.Fprintf(bw, "%s{target=%q} %g\n", s.Name, s.Target, s.Value); err != nil {
			return err
		}
	}
	return bw.Flush()
}
