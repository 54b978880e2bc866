package fetch

import (
	"context"
	"sync"
)

// Gather fetches all urls concurrently and returns what arrived before ctx
// ended.
func (f *Fetcher) Gather(ctx context.Context, urls []string) map[string][]byte {
	ch := make(chan result, len(urls))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		go f.get(ctx, u, ch)
	}
	out := make(map[string][]byte, len(urls))
	for range urls {
		select {
		case r := <-ch:
			if r.err == nil {
				out[r.url] = r.body
			}
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Sizes fetches all urls and returns their sizes. Every sender is received
// from before the deferred close runs.
func (f *Fetcher) Sizes(ctx context.Context, urls []string) map[string]int {
	ch := make(chan result)
	defer close(ch)
	for _, u := range urls {
		go f.get(ctx, u, ch)
	}
	out := make(map[string]int, len(urls))
	for range urls {
		r := <-ch
		if r.err == nil {
			out[r.url] = len(r.body)
		}
	}
	return out
}

// GatherAll waits for every fetch; the channel is closed by the goroutine
// that waits for the senders.
func (f *Fetcher) GatherAll(ctx context.Context, urls []string) map[string][]byte {
	ch := make(chan result)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			f.get(ctx, u, ch)
		}(u)
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	out := make(map[string][]byte, len(urls))
	for r := range ch {
		if r.err == nil {
			out[r.url] = r.body
		}
	}
	return out
}

// Stream sends bodies on out as they arrive and closes out when all senders
// are done.
func (f *Fetcher) Stream(ctx context.Context, urls []string, out chan<- []byte) {
	defer close(out)
	ch := make(chan result, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		spawn(func(u string) func() {
			return func() {
				defer wg.Done()
				f.get(ctx, u, ch)
			}
		}(u))
	}
	wg.Wait()
	close(ch)
	for r := range ch {
		if r.err == nil {
			out <- r.body
		}
	}
}

// Warm fetches urls to populate upstream caches and counts the successes.
func (f *Fetcher) Warm(ctx context.Context, urls []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, u := range urls {
		u := u
		wg.Add(1)
		spawn(func() {
			if _, err := f.fetch(ctx, u); err != nil {
				return
			}
			mu.Lock()
			ok++
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
	return ok
}

// WarmAll is Warm with the Done deferred in the spawned function.
func (f *Fetcher) WarmAll(ctx context.Context, urls []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, u := range urls {
		u := u
		wg.Add(1)
		spawn(func() {
			defer wg.Done()
			if _, err := f.fetch(ctx, u); err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ok++
		})
	}
	wg.Wait()
	return ok
}

// Crawl fetches seed pages and collects the links they contain.
func (f *Fetcher) Crawl(ctx context.Context, seeds []string) []string {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var found []string
	for _, s := range seeds {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			body, err := f.fetch(ctx, u)
			if err != nil {
				f.log.Printf("crawl %s: %v", u, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			links := extractLinks(body)
			mu.Lock()
			found = append(found, links...)
			mu.Unlock()
		}(s)
	}
	wg.Wait()
	return found
}
