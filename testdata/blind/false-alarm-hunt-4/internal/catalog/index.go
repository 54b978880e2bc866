package catalog

import (
	"sort"
	"sync"
)

// tagIndex maps a tag to the SKUs that carry it. The embedded RWMutex guards
// the map.
type tagIndex struct {
	sync.RWMutex
	bySKU map[string][]string
	hits  map[string]int
	hitMu sync.Mutex
}

func newTagIndex() *tagIndex {
	return &tagIndex{bySKU: make(map[string][]string), hits: make(map[string]int)}
}

func (t *tagIndex) add(tag, sku string) {
	t.Lock()
	defer t.Unlock()
	t.bySKU[tag] = append(t.bySKU[tag], sku)
}

func (t *tagIndex) lookup(tag string) []string {
	t.RLock()
	defer t.RUnlock()
	t.countHit(tag) // ok: hitMu is a separate Mutex, readers may all count at once
	return append([]string(nil), t.bySKU[tag]...)
}

func (t *tagIndex) countHit(tag string) {
	t.hitMu.Lock()
	defer t.hitMu.Unlock()
	t.hits[tag]++
}

// topTags returns the n most requested tags.
func (t *tagIndex) topTags(n int) []string {
	t.hitMu.Lock()
	names := make([]string, 0, len(t.hits))
	for k := range t.hits {
		names = append(names, k)
	}
	counts := make(map[string]int, len(t.hits))
	for k, v := range t.hits {
		counts[k] = v
	}
	t.hitMu.Unlock()

	sort.Slice(names, func(i, j int) bool { return counts[names[i]] > counts[names[j]] })
	if len(names) > n {
		names = names[:n]
	}
	return names
}

// rename moves every SKU from one tag to another.
func (t *tagIndex) rename(from, to string) {
	t.Lock()
	defer t.Unlock()
	if from == to {
		return
	}
	t.bySKU[to] = append(t.bySKU[to], t.bySKU[from]...)
	delete(t.bySKU, from)
}

// resetHits clears the counters.
func (t *tagIndex) resetHits() {
	t.hitMu.Lock()
	defer t.hitMu.Unlock()
	clear(t.hits)
}

// dropTag forgets a tag.
func (t *tagIndex) dropTag(tag string) {
	t.Lock()
	defer t.RUnlock() // HAZ defer-lock-mismatch
	delete(t.bySKU, tag)
}

// size reports the number of tags.
func (t *tagIndex) size() int {
	t.RLock()
	n := len(t.bySKU)
	t.RUnlock()
	return n
}

// compact removes tags without SKUs. It takes the read lock to see whether
// there is anything to do and only then the write lock.
func (t *tagIndex) compact() int {
	t.RLock()
	empty := 0
	for _, skus := range t.bySKU {
		if len(skus) == 0 {
			empty++
		}
	}
	t.RUnlock()
	if empty == 0 {
		return 0
	}
	t.Lock()
	defer t.Unlock()
	removed := 0
	for tag, skus := range t.bySKU {
		if len(skus) == 0 {
			delete(t.bySKU, tag)
			removed++
		}
	}
	return removed
}
