// Package crawler wires the frontier, the fetch pool, the parser and the WARC
// writer into a polite crawl pipeline:
//
//	frontier -> dispatch -> fetch workers -> parse stage -> WARC writer
//	   ^                                          |
//	   +------------- new links (dedup) ----------+
package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"example.com/crawler/internal/dedup"
	"example.com/crawler/internal/fetch"
	"example.com/crawler/internal/frontier"
	"example.com/crawler/internal/parse"
	"example.com/crawler/internal/ratelimit"
	"example.com/crawler/internal/robots"
	"example.com/crawler/internal/stats"
	"example.com/crawler/internal/warc"
)

const pollInterval = 250 * time.Millisecond

// Config controls one crawl.
type Config struct {
	Seeds        []string
	SeedFile     string
	ExtraSeeds   string
	Workers      int
	MaxDepth     int
	MaxPages     int64
	HostDelay    time.Duration
	UserAgent    string
	OutDir       string
	StateDir     string
	SegmentSize  int64
	DrainTimeout time.Duration
	Webhook      string
}

// Crawler runs one crawl.
type Crawler struct {
	cfg      Config
	log      *log.Logger
	client   *http.Client
	stats    *stats.Stats
	frontier *frontier.Frontier
	seen     *dedup.Set
	limiter  *ratelimit.Limiter
	robots   *robots.Cache
	pool     *fetch.Pool
	parser   *parse.Parser
	out      *warc.Writer
	hooks    map[string]func()
	inflight atomic.Int64
	pages    atomic.Int64
}

// New builds a crawler from cfg and opens the first WARC segment.
func New(cfg Config, logger *log.Logger) (*Crawler, error) {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 30 * time.Second
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "politecrawler/1.0 (+https://example.com/bot)"
	}
	st := stats.New()
	client := &http.Client{Timeout: 30 * time.Second}
	out, err := warc.NewWriter(cfg.OutDir, "crawl", cfg.SegmentSize)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	c := &Crawler{
		cfg:      cfg,
		log:      logger,
		client:   client,
		stats:    st,
		frontier: frontier.New(cfg.HostDelay, 0),
		seen:     dedup.New(10_000_000),
		limiter:  ratelimit.New(cfg.HostDelay),
		robots:   robots.NewCache(client, cfg.UserAgent, filepath.Join(cfg.StateDir, "robots"), 24*time.Hour, logger),
		parser:   parse.NewParser(logger, 500),
		out:      out,
		hooks:    make(map[string]func()),
	}
	f := fetch.NewFetcher(client, fetch.Options{UserAgent: cfg.UserAgent, Retries: 2, MaxBody: 8 << 20}, st, logger)
	c.pool = fetch.NewPool(f, c.limiter, c.robots, cfg.Workers, logger)
	return c, nil
}

// Stats returns the crawl statistics.
func (c *Crawler) Stats() *stats.Stats { return c.stats }

// Robots returns the robots.txt cache.
func (c *Crawler) Robots() *robots.Cache { return c.robots }

// OnStageDone registers fn to run when the named stage ("seed", "crawl") ends.
func (c *Crawler) OnStageDone(stage string, fn func()) {
	c.hooks[stage] = fn
}

// Run crawls until the frontier is exhausted, MaxPages is reached or ctx is
// cancelled. On cancellation no new fetch starts; fetches in flight get
// DrainTimeout to finish and their results are still written.
func (c *Crawler) Run(ctx context.Context) error {
	defer c.frontier.Snapshot().Save(filepath.Join(c.cfg.StateDir, "frontier.txt")) // HAZ defer-call-chain
	if err := c.runStage("seed", func() error { return c.seed(ctx) }); err != nil {
		return err
	}
	hard, cancelHard := context.WithCancel(context.Background())
	defer cancelHard()
	stopDrain := context.AfterFunc(ctx, func() {
		c.log.Printf("stop requested: draining %d in-flight fetches", c.inflight.Load())
		time.AfterFunc(c.cfg.DrainTimeout, cancelHard)
	})
	defer stopDrain()
	dispatchCtx, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	err := c.runStage("crawl", func() error {
		jobs := make(chan fetch.Job)
		go c.dispatch(dispatchCtx, jobs)
		return c.parseStage(c.pool.Run(hard, jobs), stopDispatch)
	})
	if cerr := c.out.Close(); err == nil {
		err = cerr
	}
	return err
}

// runStage runs one named pipeline stage and then fires its completion hook.
func (c *Crawler) runStage(name string, fn func() error) error {
	done := c.hooks[name]
	defer done() // HAZ defer-nil-func
	c.log.Printf("stage %s: start", name)
	start := time.Now()
	if err := fn(); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	c.log.Printf("stage %s: done in %s", name, time.Since(start).Round(time.Millisecond))
	return nil
}

// dispatch feeds due URLs from the frontier to the fetch workers. It is the
// only sender on jobs and closes it when the frontier is exhausted or ctx is
// cancelled.
func (c *Crawler) dispatch(ctx context.Context, jobs chan<- fetch.Job) {
	defer close(jobs)
	for {
		it, wait, err := c.frontier.Next(time.Now())
		if err != nil {
			return
		}
		if it == nil {
			if wait < 0 && c.inflight.Load() == 0 {
				c.frontier.Close()
				continue
			}
			if !c.sleep(ctx, wait) {
				return
			}
			continue
		}
		c.inflight.Add(1)
		select {
		case jobs <- fetch.Job{URL: it.URL, Depth: it.Depth}:
		case <-ctx.Done():
			c.inflight.Add(-1)
			return
		}
	}
}

// sleep waits up to d (or pollInterval) for a new URL; it reports false when
// ctx is cancelled.
func (c *Crawler) sleep(ctx context.Context, d time.Duration) bool {
	if d < 0 || d > pollInterval {
		d = pollInterval
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-c.frontier.Notify():
		return true
	case <-t.C:
		return true
	}
}

// parseStage consumes fetch results until the pool closes the channel. A
// panic while handling a result ends the stage with an error.
func (c *Crawler) parseStage(results <-chan fetch.Result, stopDispatch func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parse stage: panic: %v", r)
		}
	}()
	defer c.stats.Track("parse-stage")()
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer c.recoverLog("progress reporter")
		c.reportProgress(done)
	}()
	for res := range results {
		if err := c.handleResult(res); err != nil && !errors.Is(err, fetch.ErrDisallowed) {
			c.stats.Inc("errors", 1)
		}
		c.inflight.Add(-1)
		if c.cfg.MaxPages > 0 && c.pages.Load() >= c.cfg.MaxPages {
			stopDispatch()
		}
	}
	return nil
}

// recoverLog logs a panic of the goroutine it is deferred in.
func (c *Crawler) recoverLog(where string) {
	if r := recover(); r != nil {
		c.log.Printf("%s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// reportProgress logs crawl progress every 30s until done is closed.
func (c *Crawler) reportProgress(done <-chan struct{}) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			c.log.Printf("progress: %d pages, %d in flight, %d queued, %d seen",
				c.pages.Load(), c.inflight.Load(), c.frontier.Len(), c.seen.Len())
		}
	}
}

// handleResult writes one fetch result to the archive and queues its links.
func (c *Crawler) handleResult(res fetch.Result) (err error) {
	defer c.logOutcome(res.URL.String(), err) // HAZ defer-eager-evaluation
	if res.Err != nil {
		c.stats.Inc("fetch_failed", 1)
		return res.Err
	}
	p := res.Page
	rec := warc.NewResponse(p.URL.String(), p.FetchedAt, p.Status, p.Header, p.Body)
	if err = c.out.Write(rec); err != nil {
		return fmt.Errorf("archive %s: %w", p.URL, err)
	}
	c.pages.Add(1)
	c.stats.Inc("pages", 1)
	if p.Status != http.StatusOK || res.Depth >= c.cfg.MaxDepth {
		return nil
	}
	doc := c.parser.Parse(p.URL, p.Header.Get("Content-Type"), p.Body)
	c.stats.Inc("links_queued", int64(c.enqueueLinks(doc.Links, res.Depth+1)))
	return nil
}

// logOutcome logs a failed URL.
func (c *Crawler) logOutcome(u string, err error) {
	if err != nil {
		c.log.Printf("%s: %v", u, err)
	}
}

// enqueueLinks queues the links not seen before and returns how many were queued.
func (c *Crawler) enqueueLinks(links []*url.URL, depth int) int {
	defer recover() // HAZ recover-ineffective
	n := 0
	for _, l := range links {
		if !c.seen.Add(parse.Normalize(l)) {
			continue
		}
		err := c.frontier.Push(frontier.Item{URL: l, Depth: depth})
		if errors.Is(err, frontier.ErrClosed) {
			break
		}
		if err == nil {
			n++
		}
	}
	return n
}
