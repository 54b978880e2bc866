package pool

import (
	"context"
	"sync"
)

// Source yields records.
type Source interface {
	Read() []string
}

// Pipeline copies every source into out.
type Pipeline struct {
	sources []Source
	out     chan string
}

// NewPipeline returns a pipeline writing to a channel of the given depth.
func NewPipeline(depth int, sources ...Source) *Pipeline {
	return &Pipeline{sources: sources, out: make(chan string, depth)}
}

// Out is the merged stream.
func (p *Pipeline) Out() <-chan string { return p.out }

// Run copies all sources into Out and closes it, unless ctx ends first.
func (p *Pipeline) Run(ctx context.Context) error {
	defer close(p.out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, s := range p.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range s.Read() {
				p.out <- r
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunAll copies all sources into Out, waits for every copier, then closes.
func (p *Pipeline) RunAll() {
	defer close(p.out)
	var wg sync.WaitGroup
	for _, s := range p.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range s.Read() {
				p.out <- r
			}
		}()
	}
	wg.Wait()
}

// Merge fans several channels into one.
func Merge[T any](ins ...<-chan T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out) // HAZ defer-close-chan-with-sender
		for _, in := range ins {
			go func() {
				for v := range in {
					out <- v
				}
			}()
		}
	}()
	return out
}

// MergeWait fans several channels into one and closes it after the last
// forwarder has finished.
func MergeWait[T any](ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}()
	}
	go func() {
		defer close(out)
		wg.Wait()
	}()
	return out
}

// Generate emits 0..n-1; the goroutine is the only sender and closes out.
func Generate(ctx context.Context, n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Page is a crawled document.
type Page struct {
	URL  string
	Size int
}

// Crawler fetches pages with fetch.
type Crawler struct {
	fetch func(url string) Page
}

// NewCrawler returns a crawler using fetch.
func NewCrawler(fetch func(string) Page) *Crawler { return &Crawler{fetch: fetch} }

// CrawlAll fetches every URL concurrently until ctx ends.
func (c *Crawler) CrawlAll(ctx context.Context, urls []string) ([]Page, error) {
	results := make(chan Page, len(urls))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		go func() { results <- c.fetch(u) }()
	}
	pages := make([]Page, 0, len(urls))
	for range urls {
		select {
		case p := <-results:
			pages = append(pages, p)
		case <-ctx.Done():
			return pages, ctx.Err()
		}
	}
	return pages, nil
}

// CrawlAllBuffered never closes the results channel; it is buffered to the
// number of senders, so late senders finish and the channel is collected.
func (c *Crawler) CrawlAllBuffered(ctx context.Context, urls []string) ([]Page, error) {
	results := make(chan Page, len(urls))
	for _, u := range urls {
		go func() { results <- c.fetch(u) }()
	}
	pages := make([]Page, 0, len(urls))
	for range urls {
		select {
		case p := <-results:
			pages = append(pages, p)
		case <-ctx.Done():
			return pages, ctx.Err()
		}
	}
	return pages, nil
}

// CrawlSequential receives everything before the deferred close runs.
func (c *Crawler) CrawlSequential(urls []string) []Page {
	results := make(chan Page)
	defer close(results)
	for _, u := range urls {
		go func() { results <- c.fetch(u) }()
	}
	pages := make([]Page, 0, len(urls))
	for range urls {
		pages = append(pages, <-results)
	}
	return pages
}
