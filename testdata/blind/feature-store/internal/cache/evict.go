package cache

import (
	"time"
)

// StartEvictor sweeps expired entries every interval until Close.
func (s *Store) StartEvictor(interval time.Duration) {
	s.wg.Add(1)
	go s.evictLoop(interval)
}

func (s *Store) evictLoop(interval time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			n := s.sweep(now)
			if s.metrics != nil {
				s.metrics.Inc("cache.evicted", int64(n))
			}
		}
	}
}

// sweep removes every entry that expired before now and returns how many.
func (s *Store) sweep(now time.Time) int {
	if s.metrics != nil {
		defer s.metrics.Time("cache.sweep")()
	}
	total := 0
	for _, sh := range s.shards {
		evicted := sh.expire(now)
		for _, k := range evicted {
			s.fireEvict(k)
		}
		total += len(evicted)
	}
	return total
}

func (sh *shard) expire(now time.Time) []string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var evicted []string
	for k, e := range sh.items {
		if now.After(e.expires) {
			delete(sh.items, k)
			evicted = append(evicted, k)
		}
	}
	return evicted
}

// StartShardJanitors runs one janitor per shard, each driven by its own tick
// source. The load-test harness uses it to spread eviction work over time
// instead of sweeping every shard at once.
func (s *Store) StartShardJanitors(tick func(shard int) <-chan time.Time) {
	for i, sh := range s.shards {
		go sh.runJanitor(tick(i))
	}
}

func (sh *shard) runJanitor(tick <-chan time.Time) {
	for now := range tick {
		sh.mu.Lock()
		defer sh.mu.Unlock() // HAZ defer-in-loop defer-in-infinite-loop
		for k, e := range sh.items {
			if now.After(e.expires) {
				delete(sh.items, k)
			}
		}
	}
}

// Close stops the evictor and waits for it to exit. It is safe to call more
// than once.
func (s *Store) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.wg.Wait()
}
