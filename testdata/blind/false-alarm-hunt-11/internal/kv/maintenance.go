package kv

import "sync"

// compact rebuilds the shard's map so that memory held by deleted keys
// is returned to the allocator (Go maps never shrink).
func (sh *shard) compact() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	fresh := make(map[string]entry, len(sh.items))
	for k, e := range sh.items {
		fresh[k] = e
	}
	sh.items = fresh
}

// CompactShards compacts at most budget shards starting at from, in
// parallel, and returns the index to resume from on the next tick.
func (s *Store) CompactShards(from, budget int) int {
	var wg sync.WaitGroup
	var i int
	for i = from; i < len(s.shards) && i-from < budget; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.shards[i].compact()
		}()
	}
	wg.Wait()
	return i
}

// ShardSizes returns the number of keys held by each shard, gathered in
// parallel. Each goroutine writes only its own slot.
func (s *Store) ShardSizes() []int {
	sizes := make([]int, len(s.shards))
	var wg sync.WaitGroup
	for i, sh := range s.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh.mu.RLock()
			defer sh.mu.RUnlock()
			sizes[i] = len(sh.items)
		}()
	}
	wg.Wait()
	return sizes
}
