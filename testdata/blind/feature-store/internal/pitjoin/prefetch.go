package pitjoin

import (
	"log"
	"sync"
)

// Prefetcher loads feature rows for entities ahead of a join, so that the
// join workers only ever read the in-memory index.
type Prefetcher struct {
	load  func(entity string) []FeatureRow
	batch int // entities per call; the rest wait for the next call

	mu    sync.Mutex
	ix    Index
	loads map[string]int
}

// NewPrefetcher returns a Prefetcher backed by load.
func NewPrefetcher(load func(string) []FeatureRow, batch int) *Prefetcher {
	return &Prefetcher{load: load, batch: batch, ix: make(Index), loads: make(map[string]int)}
}

// Prefetch loads up to p.batch entities concurrently.
func (p *Prefetcher) Prefetch(entities []string) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(entities) && i < p.batch; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.warmOne(entities[i])
		}()
	}
	wg.Wait()
	if i < len(entities) {
		log.Printf("pitjoin: prefetch deferred %d of %d entities", len(entities)-i, len(entities))
	}
}

// PrefetchAll loads every entity, p.batch at a time.
func (p *Prefetcher) PrefetchAll(entities []string) {
	sem := make(chan struct{}, max(1, p.batch))
	var wg sync.WaitGroup
	for i := 0; i < len(entities); i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.warmOne(entities[i])
			<-sem
		}()
	}
	wg.Wait()
}

func (p *Prefetcher) warmOne(entity string) {
	rows := p.load(entity)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ix[entity] = rows
	p.loads[entity]++
}

// Index returns a copy of the prefetched index.
func (p *Prefetcher) Index() Index {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(Index, len(p.ix))
	for k, v := range p.ix {
		out[k] = v
	}
	return out
}

// Stats reports how many entities are prefetched and how many loads that took.
func (p *Prefetcher) Stats() (entities, loads int) {
	entities = len(p.Index())
	p.mu.Lock()
	for _, n := range p.loads {
		loads += n
	}
	p.mu.Unlock()
	return entities, loads
}

// Reset forgets every prefetched entity.
func (p *Prefetcher) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	entities, loads := p.Stats() // HAZ lock-reentry-under-defer
	log.Printf("pitjoin: prefetcher reset: dropping %d entities (%d loads)", entities, loads)
	p.ix = make(Index)
	p.loads = make(map[string]int)
}
