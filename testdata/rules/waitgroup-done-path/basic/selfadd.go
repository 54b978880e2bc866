package fixture

import (
	"log"
	"sync"
)

type prefetcher struct {
	fetch  func(string) (int, error)
	store  func(string, int)
	cached func(string) bool
}

// Each goroutine counts itself, then leaves on a failed fetch without its Done: Wait hangs.
func (p *prefetcher) warm(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			if p.cached(k) {
				return
			}
			wg.Add(1)
			v, err := p.fetch(k)
			if err != nil {
				log.Printf("prefetch %s: %v", k, err)
				return
			}
			p.store(k, v)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line 26 in the goroutine started on line 18`
		}()
	}
	wg.Wait()
}

// The return before the Add owes nothing, and every path after it calls Done.
func (p *prefetcher) warmChecked(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			if p.cached(k) {
				return
			}
			wg.Add(1)
			v, err := p.fetch(k)
			if err != nil {
				log.Printf("prefetch %s: %v", k, err)
				wg.Done()
				return
			}
			p.store(k, v)
			wg.Done()
		}()
	}
	wg.Wait()
}
