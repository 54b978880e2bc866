package scraper

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Target is one metrics endpoint.
type Target struct {
	Name   string
	URL    string
	Labels map[string]string
}

// Sample is one parsed metric value.
type Sample struct {
	Target string
	Metric string
	Value  float64
	At     time.Time
}

// Scraper fetches metrics from many targets concurrently.
type Scraper struct {
	Client       *http.Client
	Timeout      time.Duration // per request
	HardDeadline time.Duration // for exporters that ignore cancellation
	Parallelism  int
	Retries      int
	Log          *log.Logger
	Stats        *Stats
	OnRetry      func(target string, attempt int)
}

// ScrapeAll fetches every target, each under its own timeout, and returns
// all samples gathered. Failing targets are logged and counted, not fatal.
func (s *Scraper) ScrapeAll(ctx context.Context, targets []Target) []Sample {
	results := make(chan []Sample, len(targets))
	g, gctx := WithContext(ctx, s.Parallelism)
	for _, t := range targets {
		g.Go(func() error {
			samples, err := s.fetch(gctx, t) // ok: t is per-iteration (go1.22)
			if err != nil {
				s.Log.Printf("scrape %s: %v", t.Name, err)
				s.Stats.failed(t.Name)
				return nil
			}
			s.Stats.succeeded(t.Name)
			results <- samples // ok: buffered for every target
			return nil
		})
	}
	g.Wait()
	close(results) // ok: every sender has returned
	var all []Sample
	for batch := range results {
		all = append(all, batch...)
	}
	return all
}

func (s *Scraper) fetch(ctx context.Context, t Target) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", t.Name, resp.Status)
	}
	return parseText(t.Name, io.LimitReader(resp.Body, 16<<20), time.Now())
}

// parseText reads "name value" lines, skipping comments.
func parseText(target string, r io.Reader, at time.Time) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		out = append(out, Sample{Target: target, Metric: line[:i], Value: v, At: at})
	}
	return out, sc.Err()
}

type fetchResult struct {
	samples []Sample
	err     error
}

// ScrapeOne fetches a single target but gives up at the hard deadline even
// when the transport ignores cancellation (some exporters stream forever).
func (s *Scraper) ScrapeOne(ctx context.Context, t Target) ([]Sample, error) {
	ch := make(chan fetchResult)
	go func() { // HAZ goroutine-blocked-send
		samples, err := s.fetch(ctx, t)
		ch <- fetchResult{samples, err}
	}()
	select {
	case r := <-ch:
		return r.samples, r.err
	case <-time.After(s.HardDeadline):
		return nil, fmt.Errorf("%s: hard deadline %s exceeded", t.Name, s.HardDeadline)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Probe is ScrapeOne for the readiness check; the result channel has room
// for the late answer, so the fetch goroutine always finishes.
func (s *Scraper) Probe(ctx context.Context, t Target) error {
	ch := make(chan fetchResult, 1)
	go func() {
		samples, err := s.fetch(ctx, t)
		ch <- fetchResult{samples, err} // ok: buffered, never blocks
	}()
	select {
	case r := <-ch:
		return r.err
	case <-time.After(s.HardDeadline):
		return errors.New("probe: deadline exceeded")
	}
}

// TCPCheck reports whether addr accepts TCP connections, with the connect
// latency.
func (s *Scraper) TCPCheck(addr string) (time.Duration, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, s.Timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// TCPCheckAll checks every address and reports the failures.
func (s *Scraper) TCPCheckAll(addrs []string) map[string]error {
	type res struct {
		addr string
		err  error
	}
	ch := make(chan res)
	for _, a := range addrs {
		go func() {
			_, err := s.TCPCheck(a)
			ch <- res{a, err}
		}()
	}
	failed := map[string]error{}
	for range addrs {
		r := <-ch // ok: exactly one receive per goroutine started
		if r.err != nil {
			failed[r.addr] = r.err
		}
	}
	return failed
}

// fetchWithRetry retries a flaky target up to s.Retries times.
func (s *Scraper) fetchWithRetry(ctx context.Context, t Target) ([]Sample, error) {
	var attempt int
	var lastErr error
	for attempt = 1; attempt <= s.Retries; attempt++ {
		samples, err := s.fetch(ctx, t)
		if err == nil {
			return samples, nil
		}
		lastErr = err
		s.Stats.retried(t.Name, attempt)
		if s.OnRetry != nil {
			go func() { s.OnRetry(t.Name, attempt) }() // HAZ loop-var-capture
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("%s: giving up after %d attempts: %w", t.Name, attempt-1, lastErr)
}

// ScrapeCritical fetches targets that must not be skipped, with retries.
func (s *Scraper) ScrapeCritical(ctx context.Context, targets []Target) ([]Sample, error) {
	g, gctx := WithContext(ctx, s.Parallelism)
	parts := make([][]Sample, len(targets))
	for i, t := range targets {
		g.Go(func() error {
			samples, err := s.fetchWithRetry(gctx, t)
			parts[i] = samples // ok: each goroutine writes its own index
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []Sample
	for _, p := range parts {
		all = append(all, p...)
	}
	return all, nil
}

// Stream scrapes targets and streams samples as they arrive. The channel is
// closed when all targets are done or the hard deadline passes.
func (s *Scraper) Stream(ctx context.Context, targets []Target) <-chan Sample {
	out := make(chan Sample, 256)
	go s.streamInto(ctx, targets, out)
	return out
}

func (s *Scraper) streamInto(ctx context.Context, targets []Target, out chan<- Sample) {
	defer close(out) // HAZ defer-close-chan-with-sender
	done := make(chan struct{}, len(targets))
	for _, t := range targets {
		go func() {
			defer func() { done <- struct{}{} }() // ok: buffered for every target
			samples, err := s.fetch(ctx, t)
			if err != nil {
				return
			}
			for _, smp := range samples {
				out <- smp
			}
		}()
	}
	deadline := time.After(s.HardDeadline)
	for range targets {
		select {
		case <-done:
		case <-deadline:
			s.Log.Printf("stream: hard deadline %s reached", s.HardDeadline)
			return
		}
	}
}

// Sink receives the samples of one cycle.
type Sink interface {
	Write(ctx context.Context, samples []Sample) error
}

// RunCycle performs one scrape cycle and publishes the cycle's stats when done.
func (s *Scraper) RunCycle(ctx context.Context, targets []Target, sink Sink, statsOut io.Writer) error {
	defer s.Stats.Snapshot().Publish(statsOut) // HAZ defer-call-chain
	samples := s.ScrapeAll(ctx, targets)
	return sink.Write(ctx, samples)
}

// RunCycleReported is RunCycle with the stats taken after the cycle.
func (s *Scraper) RunCycleReported(ctx context.Context, targets []Target, sink Sink, statsOut io.Writer) error {
	samples := s.ScrapeAll(ctx, targets)
	err := sink.Write(ctx, samples)
	if perr := s.Stats.Snapshot().Publish(statsOut); perr != nil {
		s.Log.Printf("publish stats: %v", perr)
	}
	return err
}

// Loop scrapes on every tick until ctx is done, handing each cycle to sink.
func (s *Scraper) Loop(ctx context.Context, every time.Duration, targets func() []Target, sink Sink, statsOut io.Writer) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.RunCycleReported(ctx, targets(), sink, statsOut); err != nil {
			s.Log.Printf("cycle: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
