package fetch

import (
	"context"
	"sync"
)

// Crawl fetches root and, recursively, the children of every page that
// fetched cleanly. Each visit adds its children to the WaitGroup from inside
// its own goroutine; that is safe because the visiting goroutine's own count
// is still held until its deferred Done runs.
func (f *Fetcher) Crawl(ctx context.Context, root Source, children func(Source) []Source) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	var visit func(src Source)
	visit = func(src Source) {
		defer wg.Done()
		r := f.fetchOne(ctx, src)
		mu.Lock()
		out = append(out, r)
		mu.Unlock()
		if r.Err != nil {
			return
		}
		for _, c := range children(src) {
			wg.Add(1)
			go visit(c)
		}
	}
	wg.Add(1)
	go visit(root)
	wg.Wait()
	return out
}

// CrawlChildren fetches the children of every root, one goroutine each, and
// keeps the successful results.
func (f *Fetcher) CrawlChildren(ctx context.Context, roots []Source, children func(Source) []Source) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	for _, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range children(root) {
				wg.Add(1)
				go func() {
					r := f.fetchOne(ctx, c)
					if r.Err != nil {
						f.log.Printf("crawl %s: %v", c.Name, r.Err)
						return
					}
					mu.Lock()
					out = append(out, r)
					mu.Unlock()
					wg.Done() // HAZ waitgroup-done-path
				}()
			}
		}()
	}
	wg.Wait()
	return out
}
