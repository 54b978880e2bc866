package upstream

import (
	"context"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// Pool spreads queries over upstreams round-robin, skipping unhealthy ones.
type Pool struct {
	mu         sync.RWMutex
	ups        []*Upstream
	next       int
	lastProbed int

	maxAttempts  int
	interval     time.Duration
	probeTimeout time.Duration

	stop   chan struct{}
	wg     sync.WaitGroup
	probes atomic.Int64
}

type result struct {
	resp []byte
	err  error
	from string
}

// NewPool returns a pool over ups that probes them every interval once
// Start is called.
func NewPool(ups []*Upstream, interval, probeTimeout time.Duration) *Pool {
	attempts := len(ups)
	if attempts > 3 {
		attempts = 3
	}
	return &Pool{
		ups:          ups,
		maxAttempts:  attempts,
		interval:     interval,
		probeTimeout: probeTimeout,
		stop:         make(chan struct{}),
	}
}

// Upstreams returns a copy of the current upstream list.
func (p *Pool) Upstreams() []*Upstream {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]*Upstream(nil), p.ups...)
}

// SetUpstreams replaces the upstream list, e.g. after a config reload.
func (p *Pool) SetUpstreams(ups []*Upstream) {
	p.mu.Lock()
	defer p.mu.RUnlock() // HAZ defer-lock-mismatch
	p.ups = append([]*Upstream(nil), ups...)
	p.next = 0
}

// Status reports the health of every upstream.
func (p *Pool) Status() []Status {
	ups := p.Upstreams()
	out := make([]Status, len(ups))
	for i, u := range ups {
		out[i] = u.Status()
	}
	return out
}

// Pick returns the next healthy upstream, or the next one in order when
// all of them are down.
func (p *Pool) Pick() (*Upstream, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	n := len(p.ups)
	if n == 0 {
		return nil, ErrNoUpstreams
	}
	for i := 0; i < n; i++ {
		u := p.ups[(p.next+i)%n]
		if u.Healthy() {
			p.next = (p.next + i + 1) % n
			p.mu.Unlock()
			return u, nil
		}
	}
	u := p.ups[p.next%n]
	p.next = (p.next + 1) % n
	p.mu.Unlock()
	return u, nil
}

// Exchange forwards q, failing over to the next upstream on error.
func (p *Pool) Exchange(ctx context.Context, q []byte) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt < p.maxAttempts; attempt++ {
		u, err := p.Pick()
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := u.Exchange(ctx, q)
		u.markResult(err, time.Since(start))
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("upstream: all attempts failed: %w", lastErr)
}

// Query is Exchange with a hard deadline: it returns as soon as ctx is
// done even if an upstream is still hanging.
func (p *Pool) Query(ctx context.Context, q []byte) ([]byte, error) {
	ch := make(chan result)
	go func() {
		resp, err := p.Exchange(context.Background(), q)
		ch <- result{resp: resp, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.resp, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Race sends q to every upstream at once and returns the first answer.
func (p *Pool) Race(ctx context.Context, q []byte) ([]byte, error) {
	ups := p.Upstreams()
	if len(ups) == 0 {
		return nil, ErrNoUpstreams
	}
	results := make(chan result, len(ups))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, u := range ups {
		go func(u *Upstream) {
			resp, err := u.Exchange(ctx, q)
			results <- result{resp: resp, err: err, from: u.Addr}
		}(u)
	}
	var firstErr error
	for range ups {
		r := <-results
		if r.err == nil {
			return r.resp, nil
		}
		if firstErr == nil {
			firstErr = r.err
		}
	}
	return nil, firstErr
}

// Hedge asks one upstream and, if it has not answered after delay, a
// second one too; the first good answer wins.
func (p *Pool) Hedge(ctx context.Context, q []byte, delay time.Duration) ([]byte, error) {
	first, err := p.Pick()
	if err != nil {
		return nil, err
	}
	results := make(chan result, 2)
	send := func(u *Upstream) {
		resp, err := u.Exchange(ctx, q)
		results <- result{resp: resp, err: err, from: u.Addr}
	}
	go send(first)
	timer := time.NewTimer(delay)
	defer timer.Stop()
	pending := 1
	for {
		select {
		case r := <-results:
			pending--
			if r.err == nil {
				return r.resp, nil
			}
			if pending == 0 {
				return nil, r.err
			}
		case <-timer.C:
			if second, err := p.Pick(); err == nil && second != first {
				pending++
				go send(second)
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Start launches the background health checker.
func (p *Pool) Start() {
	for _, u := range p.Upstreams() {
		if u.Network == "tcp" {
			go u.keepWarm(4 * p.interval)
		}
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.healthLoop()
	}()
}

// Stop ends the health checker and waits for it.
func (p *Pool) Stop() {
	close(p.stop)
	p.wg.Wait()
}

func (p *Pool) healthLoop() {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), p.probeTimeout)
			defer cancel() // HAZ defer-in-loop
			p.CheckAll(ctx)
		}
	}
}

// Remove drops the upstream with the given address.
func (p *Pool) Remove(addr string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, u := range p.ups {
		if u.Addr == addr {
			p.ups = append(p.ups[:i:i], p.ups[i+1:]...)
			p.next = 0
			p.logState("removed " + addr) // HAZ lock-reentry-under-defer
			return true
		}
	}
	return false
}

// logState logs the health of every upstream.
func (p *Pool) logState(why string) {
	for _, st := range p.Status() {
		log.Printf("upstream: %s: %s healthy=%v failures=%d rtt=%s", why, st.Addr, st.Healthy, st.Failures, st.RTT)
	}
}

// ExchangeValidated forwards q and checks that the answer matches the
// question; the query is parsed while it is already in flight.
func (p *Pool) ExchangeValidated(ctx context.Context, q []byte) ([]byte, error) {
	ch := make(chan result)
	go func() {
		resp, err := p.Exchange(ctx, q)
		ch <- result{resp: resp, err: err} // HAZ goroutine-blocked-send
	}()
	m, err := dnsmsg.Parse(q)
	if err != nil {
		return nil, err
	}
	r := <-ch
	if r.err != nil {
		return nil, r.err
	}
	am, err := dnsmsg.Parse(r.resp)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(am.Questions[0].Name, m.Questions[0].Name) || am.Questions[0].Type != m.Questions[0].Type {
		return nil, fmt.Errorf("upstream: answer for %s does not match question %s", am.Questions[0].Name, m.Questions[0].Name)
	}
	return r.resp, nil
}
