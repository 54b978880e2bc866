package fetch

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
)

// extractLinks returns the href targets in an HTML-ish body.
func extractLinks(body []byte) []string {
	var links []string
	for {
		i := bytes.Index(body, []byte(`href="`))
		if i < 0 {
			return links
		}
		body = body[i+6:]
		j := bytes.IndexByte(body, '"')
		if j < 0 {
			return links
		}
		links = append(links, string(body[:j]))
		body = body[j+1:]
	}
}

// parseCount reads the leading "count: N" header of an index document. It
// trusts the upstream format and panics on a body that is too short.
func parseCount(body []byte) int {
	line := body[:bytes.IndexByte(body, '\n')]
	n, _ := strconv.Atoi(string(bytes.TrimSpace(line[len("count:"):])))
	return n
}

// prefetch downloads and parses one index document.
func (f *Fetcher) prefetch(ctx context.Context, url string) {
	body, err := f.fetch(ctx, url)
	if err != nil {
		f.log.Printf("prefetch %s: %v", url, err)
		return
	}
	n := parseCount(body)
	f.mu.Lock()
	f.parsed[url] = n
	f.mu.Unlock()
}

// Refresh re-fetches all index documents in the background. A malformed
// index must not take the daemon down, hence the recover.
func (f *Fetcher) Refresh(ctx context.Context, urls []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fetch: refresh: %v", r)
		}
	}()
	for _, u := range urls {
		go f.prefetch(ctx, u) // HAZ goroutine-outside-recover
	}
	return nil
}

// RefreshSafe is Refresh with goroutines that carry their own recover.
func (f *Fetcher) RefreshSafe(ctx context.Context, urls []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fetch: refresh: %v", r)
		}
	}()
	for _, u := range urls {
		u := u
		goSafe(f.log, "prefetch "+u, func() { f.prefetch(ctx, u) })
	}
	return nil
}

// PrefetchAll prefetches every url and waits for all of them.
func (f *Fetcher) PrefetchAll(ctx context.Context, urls []string) int {
	var wg sync.WaitGroup
	started := 0
	for i := 0; i < len(urls); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			f.prefetch(ctx, urls[i])
		}()
		started++
	}
	wg.Wait()
	return started
}

// PrefetchEach is PrefetchAll passing the index as an argument.
func (f *Fetcher) PrefetchEach(ctx context.Context, urls []string) int {
	var wg sync.WaitGroup
	started := 0
	for i := 0; i < len(urls); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f.prefetch(ctx, urls[i])
		}(i)
		started++
	}
	wg.Wait()
	return started
}

// Parsed returns the parsed count for url.
func (f *Fetcher) Parsed(url string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, ok := f.parsed[url]
	return n, ok
}
