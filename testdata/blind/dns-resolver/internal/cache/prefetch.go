package cache

import (
	"context"
	"log"
	"sync"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Fetcher resolves a question from upstream.
type Fetcher func(ctx context.Context, q dnsmsg.Question) (*dnsmsg.Msg, error)

// Prefetcher refreshes popular entries shortly before they expire so that
// clients keep getting cache hits.
type Prefetcher struct {
	cache   *Cache
	fetch   Fetcher
	queue   chan dnsmsg.Question
	timeout time.Duration
	log     *log.Logger

	mu      sync.Mutex
	pending map[string]struct{}

	wg     sync.WaitGroup
	cancel context.CancelFunc
}

// NewPrefetcher starts workers goroutines that refresh queued questions.
func NewPrefetcher(c *Cache, fetch Fetcher, workers int, logger *log.Logger) *Prefetcher {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Prefetcher{
		cache:   c,
		fetch:   fetch,
		queue:   make(chan dnsmsg.Question, 256),
		timeout: 3 * time.Second,
		log:     logger,
		pending: make(map[string]struct{}),
		cancel:  cancel,
	}
	for range workers {
		p.wg.Add(1)
		go p.worker(ctx)
	}
	return p
}

// NearExpiry reports whether the cached answer to q expires within d.
func (c *Cache) NearExpiry(q dnsmsg.Question, d time.Duration) bool {
	key := Key(q)
	now := c.cfg.Now()
	e, ok := c.shardFor(key).get(key, now)
	if !ok {
		return false
	}
	return e.expires.Sub(now) < d
}

// Enqueue schedules a refresh of q. It never blocks the query path: when the
// queue is full or q is already pending it returns false.
func (p *Prefetcher) Enqueue(q dnsmsg.Question) bool {
	key := Key(q)
	p.mu.Lock()
	if _, dup := p.pending[key]; dup {
		p.mu.Unlock()
		return false
	}
	select {
	case p.queue <- q:
		p.pending[key] = struct{}{}
		p.mu.Unlock()
		return true
	default:
		p.mu.Unlock()
		return false
	}
}

func (p *Prefetcher) worker(ctx context.Context) {
	defer p.wg.Done()
	defer p.log.Printf("prefetch: worker stopped (panic: %v)", recover()) // HAZ recover-ineffective
	for {
		select {
		case <-ctx.Done():
			return
		case q := <-p.queue:
			p.refresh(ctx, q)
		}
	}
}

func (p *Prefetcher) refresh(ctx context.Context, q dnsmsg.Question) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	m, err := p.fetch(ctx, q)
	p.finish(Key(q))
	if err != nil {
		p.log.Printf("prefetch %s: %v", q, err)
		return
	}
	if m.Rcode == dnsmsg.RcodeSuccess {
		p.cache.Set(q, m)
	}
}

func (p *Prefetcher) finish(key string) {
	p.mu.Lock()
	delete(p.pending, key)
	p.mu.Unlock()
}

// Pending returns the number of queued or running refreshes.
func (p *Prefetcher) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending)
}

// Stop cancels in-flight refreshes and waits for the workers.
func (p *Prefetcher) Stop() {
	p.cancel()
	p.wg.Wait()
}
