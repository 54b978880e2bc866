package robots

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type entry struct {
	rules    *Rules
	fetched  time.Time
	override bool
}

// Cache keeps the parsed robots rules of every host for a TTL. Rules can also
// be spooled to a directory and preloaded by the next run.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*entry
	client  *http.Client
	agent   string
	dir     string
	ttl     time.Duration
	log     *log.Logger
	fetches atomic.Int64
}

// NewCache returns an empty cache that fetches with client as agent.
func NewCache(client *http.Client, agent, dir string, ttl time.Duration, logger *log.Logger) *Cache {
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Cache{
		entries: make(map[string]*entry),
		client:  client,
		agent:   agent,
		dir:     dir,
		ttl:     ttl,
		log:     logger,
	}
}

// Allowed reports whether u may be fetched, fetching the host's robots.txt
// when it is not cached or has expired.
func (c *Cache) Allowed(ctx context.Context, u *url.URL) (bool, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := c.entries[u.Host]; ok && (e.override || time.Since(e.fetched) < c.ttl) {
		return e.rules.Allowed(u.EscapedPath()), nil
	}
	c.mu.Unlock()
	rules, err := c.fetch(ctx, u.Scheme, u.Host)
	if err != nil {
		return false, err
	}
	c.store(u.Host, rules, time.Now())
	return rules.Allowed(u.EscapedPath()), nil
}

// CrawlDelay returns the crawl-delay the host asked for, if any.
func (c *Cache) CrawlDelay(host string) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[host]
	if !ok || e.rules.CrawlDelay == 0 {
		return 0, false
	}
	return e.rules.CrawlDelay, true
}

// store caches rules for host unless an operator override is in place.
func (c *Cache) store(host string, rules *Rules, fetched time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[host]; ok && e.override {
		return
	}
	c.entries[host] = &entry{rules: rules, fetched: fetched}
}

// fetch downloads and parses robots.txt of host. A missing file allows
// everything; a server error disallows everything until the next refresh.
func (c *Cache) fetch(ctx context.Context, scheme, host string) (*Rules, error) {
	if scheme == "" {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+host+"/robots.txt", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.agent)
	resp, _ := c.client.Do(req)
	c.fetches.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return &Rules{}, nil
	case resp.StatusCode >= 500:
		return &Rules{Disallow: []string{"/"}}, nil
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("robots %s: %s", host, resp.Status)
	}
	return Parse(io.LimitReader(resp.Body, 500<<10), c.agent)
}

// Preload fills the cache from robots files spooled to c.dir by an earlier
// run and returns how many hosts were loaded.
func (c *Cache) Preload(hosts []string) (int, error) {
	n := 0
	for _, host := range hosts {
		f, err := os.Open(filepath.Join(c.dir, host+".txt"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return n, err
		}
		defer f.Close() // HAZ defer-in-loop
		fi, err := f.Stat()
		if err != nil || time.Since(fi.ModTime()) > c.ttl {
			continue
		}
		rules, err := Parse(f, c.agent)
		if err != nil {
			c.log.Printf("robots: spooled %s: %v", host, err)
			continue
		}
		c.store(host, rules, fi.ModTime())
		n++
	}
	return n, nil
}

// Spool writes every cached robots file to c.dir so that the next run can
// Preload it.
func (c *Cache) Spool() error {
	c.mu.Lock()
	snap := make(map[string]*Rules, len(c.entries))
	for host, e := range c.entries {
		snap[host] = e.rules
	}
	c.mu.Unlock()
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	for host, rules := range snap {
		err := func() (err error) {
			f, err := os.Create(filepath.Join(c.dir, host+".txt"))
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, f.Close()) }()
			_, err = rules.WriteTo(f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("robots: spool %s: %w", host, err)
		}
	}
	return nil
}

// WatchOverrides re-reads the operator's override file ("host allow|disallow
// prefix" per line) whenever it changes. It is started once at program start
// and runs for the life of the process.
func (c *Cache) WatchOverrides(path string, every time.Duration) {
	t := time.NewTicker(every)
	var lastMod time.Time
	for range t.C {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		fi, err := f.Stat()
		if err != nil || !fi.ModTime().After(lastMod) {
			continue
		}
		lastMod = fi.ModTime()
		overrides, err := parseOverrides(f)
		if err != nil {
			c.log.Printf("robots: overrides %s: %v", path, err)
			continue
		}
		c.applyOverrides(overrides)
	}
}

// parseOverrides reads "host allow|disallow prefix" lines.
func parseOverrides(r io.Reader) (out map[string]*Rules, err error) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	out = make(map[string]*Rules)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) != 3 {
			return nil, fmt.Errorf("bad line %q", sc.Text())
		}
		rules := out[fields[0]]
		if rules == nil {
			rules = &Rules{}
			out[fields[0]] = rules
		}
		rules.apply(strings.ToLower(fields[1]), fields[2])
	}
	return out, sc.Err()
}

// applyOverrides replaces the cached rules of the overridden hosts.
func (c *Cache) applyOverrides(overrides map[string]*Rules) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for host, e := range c.entries {
		if e.override {
			delete(c.entries, host)
		}
	}
	now := time.Now()
	for host, rules := range overrides {
		c.entries[host] = &entry{rules: rules, fetched: now, override: true}
	}
}

type prefetchResult struct {
	host  string
	rules *Rules
	err   error
}

// PrefetchAll fetches robots.txt of the seed hosts concurrently and gives up
// after deadline; hosts not done by then are fetched lazily by Allowed.
func (c *Cache) PrefetchAll(ctx context.Context, hosts []string, deadline time.Duration) int {
	results := make(chan prefetchResult, len(hosts))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, h := range hosts {
		go func(host string) {
			rules, err := c.fetch(ctx, "https", host)
			results <- prefetchResult{host: host, rules: rules, err: err}
		}(h)
	}
	timeout := time.NewTimer(deadline)
	defer timeout.Stop()
	n := 0
	for range hosts {
		select {
		case r := <-results:
			if r.err != nil {
				c.log.Printf("robots: prefetch %s: %v", r.host, r.err)
				continue
			}
			c.store(r.host, r.rules, time.Now())
			n++
		case <-timeout.C:
			return n
		}
	}
	return n
}

// Fetches returns the number of robots.txt requests made so far.
func (c *Cache) Fetches() int64 {
	return c.fetches.Load()
}

// Invalidate drops the cached rules of host so that the next Allowed fetches
// them again. Operator overrides are kept.
func (c *Cache) Invalidate(host string) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.entries[host]
	if !ok || e.override {
		c.mu.Unlock()
		return false
	}
	delete(c.entries, host)
	return true
}

// expiredHosts returns the hosts whose fetched rules are older than the TTL.
func (c *Cache) expiredHosts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for host, e := range c.entries {
		if !e.override && time.Since(e.fetched) >= c.ttl {
			out = append(out, host)
		}
	}
	return out
}

// refreshHost refetches the rules of one host and keeps the old ones on error.
func (c *Cache) refreshHost(ctx context.Context, host string) {
	rules, err := c.fetch(ctx, "https", host)
	if err != nil {
		c.log.Printf("robots: refresh %s: %v", host, err)
		return
	}
	c.store(host, rules, time.Now())
}

// RefreshExpired refetches every expired entry in the background and returns
// how many refreshes were started.
func (c *Cache) RefreshExpired(ctx context.Context) int {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("robots: refresh: panic: %v", r)
		}
	}()
	hosts := c.expiredHosts()
	for _, h := range hosts {
		go c.refreshHost(ctx, h) // HAZ goroutine-outside-recover
	}
	return len(hosts)
}
