package crawler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/crawler/internal/frontier"
	"example.com/crawler/internal/parse"
)

// seed queues the configured seeds, the URLs left over by the previous run
// and the pages listed in the seed hosts' sitemaps.
func (c *Crawler) seed(ctx context.Context) error {
	defer c.stats.Track("seed") // HAZ defer-func-result-not-called
	raw := append([]string(nil), c.cfg.Seeds...)
	if c.cfg.SeedFile != "" {
		more, err := readSeeds(c.cfg.SeedFile, c.cfg.ExtraSeeds)
		if err != nil {
			return fmt.Errorf("seeds: %w", err)
		}
		raw = append(raw, more...)
	}
	var items []frontier.Item
	hosts := make(map[string]bool)
	for _, s := range raw {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			c.log.Printf("seed %q: not an absolute URL, skipped", s)
			continue
		}
		hosts[u.Host] = true
		items = append(items, frontier.Item{URL: u})
	}
	if err := c.checkSeedHosts(ctx, hostKeys(hosts)); err != nil {
		return err
	}
	leftover, err := frontier.LoadSnapshot(filepath.Join(c.cfg.StateDir, "frontier.txt"))
	if err != nil {
		c.log.Printf("previous frontier: %v", err)
	}
	items = append(items, leftover...)
	for _, loc := range c.seedFromSitemaps(ctx, hostKeys(hosts)) {
		if u, err := url.Parse(loc); err == nil && u.Host != "" {
			items = append(items, frontier.Item{URL: u, Depth: 1})
		}
	}
	c.prepareHosts(ctx, hostKeys(hosts))
	for _, it := range items {
		if !c.seen.Add(parse.Normalize(it.URL)) {
			continue
		}
		if err := c.frontier.Push(it); err != nil {
			c.log.Printf("seed %s: %v", it.URL, err)
		}
	}
	c.log.Printf("seeded %d URLs on %d hosts", c.frontier.Len(), len(hosts))
	return nil
}

// prepareHosts loads the robots rules of the seed hosts and applies their
// crawl-delays to the rate limiter.
func (c *Crawler) prepareHosts(ctx context.Context, hosts []string) {
	if n, err := c.robots.Preload(hosts); err != nil {
		c.log.Printf("robots preload: %v", err)
	} else if n > 0 {
		c.log.Printf("robots: %d hosts preloaded", n)
	}
	c.robots.PrefetchAll(ctx, hosts, 10*time.Second)
	for _, h := range hosts {
		if d, ok := c.robots.CrawlDelay(h); ok {
			c.limiter.SetDelay(h, d)
		}
	}
}

// readSeeds reads the seed file and, when extra is set, the operator's list of
// additional seeds.
func readSeeds(path, extra string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	seeds, err := scanLines(f)
	if err != nil {
		return nil, err
	}
	if extra == "" {
		return seeds, nil
	}
	f, err = os.Open(extra)
	if errors.Is(err, fs.ErrNotExist) {
		return seeds, nil
	}
	if err != nil {
		return nil, err
	}
	more, err := scanLines(f)
	if err != nil {
		return nil, err
	}
	return append(seeds, more...), nil
}

// scanLines returns the non-empty lines of r that are not comments.
func scanLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// seedFromSitemaps reads /sitemap.xml of every seed host and returns the page
// URLs listed there.
func (c *Crawler) seedFromSitemaps(ctx context.Context, hosts []string) []string {
	var out []string
	for _, h := range hosts {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+h+"/sitemap.xml", nil)
		if err != nil {
			continue
		}
		req.Header.Set("User-Agent", c.cfg.UserAgent)
		resp, err := c.client.Do(req)
		if err != nil {
			c.log.Printf("sitemap %s: %v", h, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			continue
		}
		locs, err := parse.ParseSitemap(resp.Body, 5000)
		if err != nil {
			c.log.Printf("sitemap %s: %v", h, err)
			continue
		}
		out = append(out, locs...)
	}
	return out
}

// checkSeedHosts makes sure every seed host answers at all before the crawl
// starts, so that a typo in a seed fails fast.
func (c *Crawler) checkSeedHosts(ctx context.Context, hosts []string) error {
	errc := make(chan error)
	for _, h := range hosts {
		go func(host string) { errc <- c.checkHost(ctx, host) }(h) // HAZ goroutine-blocked-send
	}
	for range hosts {
		if err := <-errc; err != nil {
			return fmt.Errorf("seed host check: %w", err)
		}
	}
	return nil
}

// checkHost sends a HEAD request to the root of host.
func (c *Crawler) checkHost(ctx context.Context, host string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, "https://"+host+"/", nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s: %s", host, resp.Status)
	}
	return nil
}

// hostKeys returns the sorted keys of a host set.
func hostKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for h := range m {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}
