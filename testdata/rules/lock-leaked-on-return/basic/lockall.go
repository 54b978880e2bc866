package fixture

import "sync"

type shard struct {
	mu    sync.Mutex
	items map[string]int
}

type shardedStore struct {
	shards [8]shard
}

// Every shard it needs is locked in turn, then all are unlocked by one deferred loop.
func (s *shardedStore) applyAll(idx []int, key string, v int) {
	for _, i := range idx {
		s.shards[i].mu.Lock()
	}
	defer func() {
		for _, i := range idx {
			s.shards[i].mu.Unlock()
		}
	}()
	for _, i := range idx {
		s.shards[i].items[key] = v
	}
}

// The index is picked once, outside the loop: the continue comes back to the same shard's lock.
func (s *shardedStore) bumpTimes(i, n int, key string) {
	for k := 0; k < n; k++ {
		s.shards[i].mu.Lock() // want `s\.shards\[i\]\.mu\.Lock\(\) on line \d+ is not released before the continue on line \d+ goes back to it`
		if s.shards[i].items[key] > 10 {
			continue
		}
		s.shards[i].items[key]++
		s.shards[i].mu.Unlock()
	}
}

// A shard per iteration, released on the way to the next.
func (s *shardedStore) bumpEach(idx []int, key string) {
	for _, i := range idx {
		s.shards[i].mu.Lock()
		if s.shards[i].items[key] > 10 {
			s.shards[i].mu.Unlock()
			continue
		}
		s.shards[i].items[key]++
		s.shards[i].mu.Unlock()
	}
}
