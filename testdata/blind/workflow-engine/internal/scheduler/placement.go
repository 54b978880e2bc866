package scheduler

import (
	"context"
	"math"
	"sync"
)

// pickWorker asks the load probe for the least loaded candidate, giving up
// when ctx ends.
func (s *Scheduler) pickWorker(ctx context.Context, candidates []string) (string, error) {
	if len(candidates) == 0 {
		return "", errNoCandidates
	}
	ch := make(chan string)
	go func() { ch <- s.leastLoaded(candidates) }() // HAZ goroutine-blocked-send
	select {
	case w := <-ch:
		return w, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (s *Scheduler) leastLoaded(candidates []string) string {
	best, bestLoad := candidates[0], math.MaxInt
	for _, c := range candidates {
		load, err := s.probe(c)
		if err != nil {
			continue
		}
		if load < bestLoad {
			best, bestLoad = c, load
		}
	}
	return best
}

// probeLoads queries all workers concurrently and returns what it learned
// before ctx ended.
func (s *Scheduler) probeLoads(ctx context.Context, workers []string) map[string]int {
	type result struct {
		worker string
		load   int
		err    error
	}
	ch := make(chan result, len(workers))
	for _, w := range workers {
		go func() {
			load, err := s.probe(w)
			ch <- result{w, load, err}
		}()
	}
	loads := make(map[string]int, len(workers))
	for range workers {
		select {
		case r := <-ch:
			if r.err == nil {
				loads[r.worker] = r.load
			}
		case <-ctx.Done():
			return loads
		}
	}
	return loads
}

func (s *Scheduler) assign(shard int, worker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assignments[shard] = worker
}

// Rebalance spreads shards over workers round-robin.
func (s *Scheduler) Rebalance(workers []string, shards []int) {
	if len(workers) == 0 {
		return
	}
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.assign(shards[i], workers[i%len(workers)])
		}()
	}
	wg.Wait()
	s.log.Printf("scheduler: rebalanced %d shards over %d workers", i, len(workers))
}

// Place picks a worker for a single new shard.
func (s *Scheduler) Place(ctx context.Context, shard int, candidates []string) error {
	w, err := s.pickWorker(ctx, candidates)
	if err != nil {
		return err
	}
	s.assign(shard, w)
	return nil
}
