//go:build go1.21

// This file predates the module's move to Go 1.22 and is still pinned to the
// old language version by its build constraint (it used to carry a
// go1.21-only fallback).

package sender

import (
	"context"
	"strings"
	"sync"
	"time"

	"example.com/newsletter/internal/obs"
	"example.com/newsletter/internal/smtpx"
)

// VerifyDomains probes the MX of every sending domain in parallel and
// returns the error per domain (nil when the MX answered).
func (p *Pipeline) VerifyDomains(ctx context.Context, domains []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make(map[string]error, len(domains))
	for _, d := range domains {
		wg.Add(1)
		go func() { defer wg.Done(); _, _, err := p.VerifyMX(ctx, d); mu.Lock(); out[d] = err; mu.Unlock() }() // HAZ loop-var-capture
		obs.Default.Inc("verify_started")
	}
	wg.Wait()
	return out
}

// ProbeBanners collects the greeting banner of each MX host. The loop
// variable is copied before the goroutine captures it.
func ProbeBanners(hosts []string, timeout time.Duration) map[string]string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	banners := make(map[string]string, len(hosts))
	for _, h := range hosts {
		h := h
		wg.Add(1)
		go func() {
			defer wg.Done()
			banner, err := smtpx.Probe(h, timeout)
			if err != nil {
				banner = "error: " + err.Error()
			}
			mu.Lock()
			banners[h] = banner
			mu.Unlock()
		}()
		obs.Default.Inc("probe_started")
	}
	wg.Wait()
	return banners
}

// WarmLimiter pre-creates the buckets of the given domains concurrently,
// passing each domain to the goroutine as an argument.
func (l *Limiter) WarmLimiter(domains []string) {
	var wg sync.WaitGroup
	for _, d := range domains {
		wg.Add(1)
		go func(domain string) {
			defer wg.Done()
			l.get(domain)
		}(d)
		obs.Default.Inc("limiter_warm")
	}
	wg.Wait()
}

// SubmitSplit queues pre-split batches concurrently and returns the first
// error.
func (p *Pipeline) SubmitSplit(ctx context.Context, batches []Batch) error {
	errs := make(chan error, len(batches))
	for i := 0; i < len(batches); i++ {
		go func() { errs <- p.Submit(ctx, batches[i]) }() // HAZ loop-var-capture
		obs.Default.Inc("batches_submitted")
	}
	for range batches {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// SubmitByDomain builds one batch per domain and queues them concurrently.
func (p *Pipeline) SubmitByDomain(ctx context.Context, byDomain map[string][]Message) error {
	errs := make(chan error, len(byDomain))
	id := 0
	for domain, msgs := range byDomain {
		id++
		go func() { errs <- p.Submit(ctx, Batch{ID: id, Domain: domain, Messages: msgs}) }() // HAZ loop-var-capture
		obs.Default.Inc("batches_submitted")
	}
	for range byDomain {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// countByDomain counts messages per domain. The closure that reads the loop
// variable is called synchronously, inside the iteration.
func countByDomain(msgs []Message) map[string]int {
	counts := make(map[string]int)
	for _, m := range msgs {
		domain := func() string {
			at := strings.LastIndexByte(m.To, '@')
			return strings.ToLower(m.To[at+1:])
		}()
		counts[domain]++
	}
	return counts
}
