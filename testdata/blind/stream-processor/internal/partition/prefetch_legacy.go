//go:build go1.21

package partition

import (
	"context"
	"log"
	"sync"
)

// This file keeps the pre-1.22 prefetch code path; its build line pins the
// file's language version to go1.21.

// Prefetcher warms the fetch cache of partitions before they are assigned.
type Prefetcher struct {
	src   Source
	mu    sync.Mutex
	warm  map[int]bool
	batch int
}

// NewPrefetcher returns a prefetcher reading batch records per partition.
func NewPrefetcher(src Source, batch int) *Prefetcher {
	return &Prefetcher{src: src, warm: make(map[int]bool), batch: batch}
}

func (pf *Prefetcher) warmOne(ctx context.Context, p int) {
	if _, err := pf.src.Fetch(ctx, p, 0, pf.batch); err != nil {
		log.Printf("prefetch %d: %v", p, err)
		return
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	pf.warm[p] = true
}

// WarmAll prefetches every partition in parts concurrently.
func (pf *Prefetcher) WarmAll(ctx context.Context, parts []int) {
	var wg sync.WaitGroup
	started := 0
	for _, p := range parts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			pf.warmOne(ctx, p)
		}()
		started++
	}
	wg.Wait()
	log.Printf("prefetch: %d partitions", started)
}

// WarmAllCopy is WarmAll with the per-iteration copy that go1.21 needs.
func (pf *Prefetcher) WarmAllCopy(ctx context.Context, parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			pf.warmOne(ctx, p)
		}()
	}
	wg.Wait()
}

// WarmAllArg passes the partition as an argument.
func (pf *Prefetcher) WarmAllArg(ctx context.Context, parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			pf.warmOne(ctx, p)
		}(p)
	}
	wg.Wait()
}

// IsWarm reports whether p was prefetched.
func (pf *Prefetcher) IsWarm(p int) bool {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	return pf.warm[p]
}
