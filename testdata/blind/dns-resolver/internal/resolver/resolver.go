// Package resolver answers queries from the authoritative zones, the cache,
// or by forwarding to the upstreams.
package resolver

import (
	"context"
	"errors"
	"log"
	"sort"
	"time"

	"example.com/dnsresolver/internal/cache"
	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/upstream"
	"example.com/dnsresolver/internal/zone"
)

// Errors returned by the resolver.
var (
	ErrNoUpstreams = errors.New("resolver: no upstream available")
	ErrTimeout     = errors.New("resolver: timed out")
)

// Config wires a resolver.
type Config struct {
	Cache       *cache.Cache
	Zones       *zone.Store
	Upstreams   []*upstream.Upstream
	Metrics     *metrics.Registry
	Timeout     time.Duration
	MaxInflight int
	Fanout      int
	Log         *log.Logger
}

// Resolver is safe for concurrent use.
type Resolver struct {
	cache     *cache.Cache
	zones     *zone.Store
	upstreams []*upstream.Upstream
	metrics   *metrics.Registry
	timeout   time.Duration
	fanout    int
	log       *log.Logger
	sem       chan struct{}
}

// New returns a resolver for cfg.
func New(cfg Config) *Resolver {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxInflight <= 0 {
		cfg.MaxInflight = 1024
	}
	if cfg.Fanout <= 0 {
		cfg.Fanout = 1
	}
	return &Resolver{
		cache:     cfg.Cache,
		zones:     cfg.Zones,
		upstreams: cfg.Upstreams,
		metrics:   cfg.Metrics,
		timeout:   cfg.Timeout,
		fanout:    cfg.Fanout,
		log:       cfg.Log,
		sem:       make(chan struct{}, cfg.MaxInflight),
	}
}

// Resolve answers q. The returned message always carries q's ID; err is
// non-nil only for logging, the message is then a SERVFAIL.
func (r *Resolver) Resolve(ctx context.Context, q *dnsmsg.Msg) (*dnsmsg.Msg, error) {
	defer r.metrics.Track("resolve")()
	if len(q.Question) != 1 {
		return q.ErrorReply(dnsmsg.RcodeFormErr), nil
	}
	qq := q.Question[0]
	if z, ok := r.zones.Find(qq.Name); ok {
		return r.answerFromZone(z, q), nil
	}
	if m, ok := r.cache.Get(qq); ok {
		m.ID = q.ID
		return m, nil
	}
	if !q.RecursionDesired {
		return q.ErrorReply(dnsmsg.RcodeRefused), nil
	}
	resp, err := r.forward(ctx, q)
	if err != nil {
		return q.ErrorReply(dnsmsg.RcodeServFail), err
	}
	r.cache.Set(qq, resp)
	resp.ID = q.ID
	resp.RecursionAvailable = true
	return resp, nil
}

func (r *Resolver) answerFromZone(z *zone.Zone, q *dnsmsg.Msg) *dnsmsg.Msg {
	qq := q.Question[0]
	resp := q.Reply()
	resp.Authoritative = true
	rrs, exists := z.Lookup(qq.Name, qq.Type)
	switch {
	case !exists:
		resp.Rcode = dnsmsg.RcodeNXDomain
	case len(rrs) > 0:
		resp.Answer = rrs
		return resp
	}
	if soa, ok := z.SOA(); ok {
		resp.Authority = append(resp.Authority, soa)
	}
	return resp
}

// isPriming reports whether q is a priming query (". NS"), which bypasses
// the in-flight limit so that the resolver can always bootstrap.
func isPriming(q *dnsmsg.Msg) bool {
	return len(q.Question) == 1 && q.Question[0].Name == "." && q.Question[0].Type == dnsmsg.TypeNS
}

func (r *Resolver) acquire(ctx context.Context) (func(), error) {
	select {
	case r.sem <- struct{}{}:
		return func() {
			select {
			case <-r.sem:
			default:
			}
		}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (r *Resolver) forward(ctx context.Context, q *dnsmsg.Msg) (*dnsmsg.Msg, error) {
	var release func()
	if !isPriming(q) {
		var err error
		if release, err = r.acquire(ctx); err != nil {
			return nil, err
		}
	}
	defer release() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if r.fanout > 1 {
		return r.raceUpstreams(ctx, q)
	}
	lastErr := ErrNoUpstreams
	for _, u := range r.healthyUpstreams() {
		resp, err := u.Exchange(ctx, q)
		if err == nil {
			return resp, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

type result struct {
	m   *dnsmsg.Msg
	err error
}

func (r *Resolver) raceUpstreams(ctx context.Context, q *dnsmsg.Msg) (*dnsmsg.Msg, error) {
	ups := r.healthyUpstreams()
	if len(ups) == 0 {
		return nil, ErrNoUpstreams
	}
	n := min(len(ups), r.fanout)
	ch := make(chan result)
	for _, u := range ups[:n] {
		go func() {
			m, err := u.Exchange(ctx, q)
			ch <- result{m, err} // HAZ goroutine-blocked-send
		}()
	}
	var lastErr error
	for range n {
		select {
		case res := <-ch:
			if res.err == nil {
				return res.m, nil
			}
			lastErr = res.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, lastErr
}

// ResolveTimeout is Resolve with its own deadline, for callers (the admin
// API, dnsctl) that must not wait for the full upstream timeout.
func (r *Resolver) ResolveTimeout(ctx context.Context, q *dnsmsg.Msg, d time.Duration) (*dnsmsg.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ch := make(chan result, 1)
	go func() {
		m, err := r.Resolve(ctx, q)
		ch <- result{m, err}
	}()
	select {
	case res := <-ch:
		return res.m, res.err
	case <-ctx.Done():
		return nil, ErrTimeout
	}
}

// Answer is one upstream's reply in a comparison.
type Answer struct {
	Upstream string
	Msg      *dnsmsg.Msg
	Err      error
}

// Compare sends q to up to fanout upstreams and returns every reply, so that
// operators can spot an upstream that disagrees with the others.
func (r *Resolver) Compare(ctx context.Context, q *dnsmsg.Msg) []Answer {
	servers := r.upstreams
	results := make(chan Answer, len(servers))
	var n int
	for n = 0; n < len(servers) && n < r.fanout; n++ {
		go func() { // HAZ loop-var-capture
			m, err := servers[n].Exchange(ctx, q)
			results <- Answer{Upstream: servers[n].Addr, Msg: m, Err: err}
		}()
	}
	answers := make([]Answer, 0, n)
	for i := 0; i < n; i++ {
		answers = append(answers, <-results)
	}
	sort.Slice(answers, func(i, j int) bool { return answers[i].Upstream < answers[j].Upstream })
	return answers
}

// healthyUpstreams returns the healthy upstreams, fastest first. When none
// is healthy all are returned: a degraded answer beats SERVFAIL.
func (r *Resolver) healthyUpstreams() []*upstream.Upstream {
	var out []*upstream.Upstream
	for _, u := range r.upstreams {
		if u.Healthy() {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		out = append(out, r.upstreams...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RTT() < out[j].RTT() })
	return out
}
