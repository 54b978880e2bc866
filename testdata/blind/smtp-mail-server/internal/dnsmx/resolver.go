// Package dnsmx resolves the mail exchangers of recipient domains with
// timeouts and a small TTL cache.
package dnsmx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNullMX reports a domain that publishes a null MX (RFC 7505): it
// accepts no mail at all.
var ErrNullMX = errors.New("dnsmx: domain accepts no mail (null MX)")

type lookuper interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

type cacheEntry struct {
	hosts   []string
	expires time.Time
}

// Resolver looks up MX records.
type Resolver struct {
	lk      lookuper
	timeout time.Duration
	ttl     time.Duration

	mu    sync.Mutex
	cache map[string]cacheEntry
}

// NewResolver returns a resolver using the system DNS configuration.
func NewResolver(timeout, ttl time.Duration) *Resolver {
	return &Resolver{lk: net.DefaultResolver, timeout: timeout, ttl: ttl, cache: make(map[string]cacheEntry)}
}

func (r *Resolver) cached(domain string, now time.Time) ([]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.cache[domain]
	if !ok || now.After(e.expires) {
		return nil, false
	}
	return e.hosts, true
}

func (r *Resolver) store(domain string, hosts []string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache[domain] = cacheEntry{hosts: hosts, expires: now.Add(r.ttl)}
}

// Flush empties the cache (mailctl dns flush).
func (r *Resolver) Flush() int {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	n := len(r.cache)
	r.cache = make(map[string]cacheEntry)
	return n
}

// LookupMX returns the exchangers of domain ordered by preference. A domain
// without MX records is its own exchanger (RFC 5321 section 5.1).
func (r *Resolver) LookupMX(ctx context.Context, domain string) ([]string, error) {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if hosts, ok := r.cached(domain, time.Now()); ok {
		return hosts, nil
	}
	hosts, err := r.lookupOnce(ctx, domain)
	if err != nil {
		return nil, err
	}
	r.store(domain, hosts, time.Now())
	return hosts, nil
}

// lookupOnce queries DNS with the resolver timeout, bypassing the cache.
func (r *Resolver) lookupOnce(ctx context.Context, domain string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	mxs, err := r.lk.LookupMX(ctx, domain)
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return []string{domain}, nil
	case err != nil:
		return nil, fmt.Errorf("dnsmx: %s: %w", domain, err)
	}
	hosts, err := sortByPref(mxs)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		hosts = []string{domain}
	}
	return hosts, nil
}

func sortByPref(mxs []*net.MX) ([]string, error) {
	if len(mxs) == 1 && (mxs[0].Host == "." || mxs[0].Host == "") {
		return nil, ErrNullMX
	}
	sorted := append([]*net.MX(nil), mxs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Pref < sorted[j].Pref })
	hosts := make([]string, 0, len(sorted))
	for _, mx := range sorted {
		hosts = append(hosts, strings.TrimSuffix(mx.Host, "."))
	}
	return hosts, nil
}

// Refresh re-resolves every cached domain, so that hot domains never hit a
// cold cache.
func (r *Resolver) Refresh(ctx context.Context) int {
	r.mu.Lock()
	domains := make([]string, 0, len(r.cache))
	for d := range r.cache {
		domains = append(domains, d)
	}
	r.mu.Unlock()

	refreshed := 0
	for _, d := range domains {
		ctx, cancel := context.WithTimeout(ctx, r.timeout)
		defer cancel() // HAZ defer-in-loop
		mxs, err := r.lk.LookupMX(ctx, d)
		if err != nil {
			continue
		}
		if hosts, err := sortByPref(mxs); err == nil && len(hosts) > 0 {
			r.store(d, hosts, time.Now())
			refreshed++
		}
	}
	return refreshed
}

type mxResults struct {
	mu sync.Mutex
	m  map[string][]string
}

func (res *mxResults) set(domain string, hosts []string, err error) {
	res.mu.Lock()
	defer res.mu.Unlock()
	if err == nil {
		res.m[domain] = hosts
	}
}

// LookupAll resolves many domains concurrently, e.g. before a queue run.
// Domains that fail are missing from the result.
func (r *Resolver) LookupAll(ctx context.Context, domains []string) map[string][]string {
	res := &mxResults{m: make(map[string][]string, len(domains))}
	var wg sync.WaitGroup
	for _, d := range domains {
		wg.Add(1)
		go func() { defer wg.Done(); hosts, err := r.LookupMX(ctx, d); res.set(d, hosts, err) }() // HAZ loop-var-capture
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return res.m
}

// LookupAddr resolves the addresses of an exchanger, giving up after the
// resolver timeout even if the system resolver hangs.
func (r *Resolver) LookupAddr(ctx context.Context, host string) ([]string, error) {
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result)
	go func() { addrs, err := r.lk.LookupHost(context.Background(), host); ch <- result{addrs, err} }() // HAZ goroutine-blocked-send
	select {
	case res := <-ch:
		return res.addrs, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(r.timeout):
		return nil, fmt.Errorf("dnsmx: lookup %s: timed out after %v", host, r.timeout)
	}
}

// LookupTXT fetches TXT records (SPF, MTA-STS) with the resolver timeout.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	type result struct {
		txt []string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		txt, err := r.lk.LookupTXT(context.Background(), name)
		ch <- result{txt, err}
	}()
	timer := time.NewTimer(r.timeout)
	defer timer.Stop()
	select {
	case res := <-ch:
		return res.txt, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, fmt.Errorf("dnsmx: TXT %s: timed out after %v", name, r.timeout)
	}
}

// Result is one streamed lookup.
type Result struct {
	Domain string
	Hosts  []string
	Err    error
}

// Stream resolves domains concurrently and delivers results as they
// arrive. The channel is closed after the last result; cancelling ctx stops
// the remaining sends.
func (r *Resolver) Stream(ctx context.Context, domains []string) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, d := range domains {
			wg.Add(1)
			go func(d string) {
				defer wg.Done()
				hosts, err := r.LookupMX(ctx, d)
				select {
				case out <- Result{Domain: d, Hosts: hosts, Err: err}:
				case <-ctx.Done():
				}
			}(d)
		}
		wg.Wait()
	}()
	return out
}

// farFuture is the expiry of pinned entries.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
