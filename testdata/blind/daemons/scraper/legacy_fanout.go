//go:build go1.21

package scraper

import (
	"context"
	"sync"
)

// ScrapeFederated is the fan-out used by the /federate endpoint. It predates
// Group and groups the samples per target.
func (s *Scraper) ScrapeFederated(ctx context.Context, targets []Target) map[string][]Sample {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]Sample, len(targets))
	)
	for _, t := range targets {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			samples, err := s.fetch(ctx, t)
			if err != nil {
				s.Stats.failed(t.Name)
				return
			}
			mu.Lock()
			out[t.Name] = samples
			mu.Unlock()
		}()
		s.Log.Printf("federate: scheduled %s", t.Name)
	}
	wg.Wait()
	return out
}

// ScrapeLabels fetches targets and keeps only the samples of the given
// metric, keyed by target; the target is passed to each goroutine.
func (s *Scraper) ScrapeLabels(ctx context.Context, targets []Target, metric string) map[string]float64 {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]float64)
	)
	for _, t := range targets {
		wg.Add(1)
		go func(t Target) { // ok: t is an argument, evaluated per iteration
			defer wg.Done()
			samples, err := s.fetch(ctx, t)
			if err != nil {
				return
			}
			for _, smp := range samples {
				if smp.Metric == metric {
					mu.Lock()
					out[t.Name] = smp.Value
					mu.Unlock()
				}
			}
		}(t)
	}
	wg.Wait()
	return out
}

// CheckAll runs TCP checks; each goroutine works on its own copy of the loop
// variable.
func (s *Scraper) CheckAll(targets []Target) []string {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		down []string
	)
	for _, t := range targets {
		t := t
		wg.Add(1)
		go func() { // ok: t is a per-iteration copy
			defer wg.Done()
			if _, err := s.TCPCheck(t.URL); err != nil {
				mu.Lock()
				down = append(down, t.Name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return down
}
