package worker

import (
	"context"
	"sync"
)

// Fanout splits jobs round-robin over n goroutines and waits for them.
func (s *Server) Fanout(ctx context.Context, jobs []Job, n int) {
	if n < 1 {
		n = 1
	}
	shards := make([][]Job, n)
	for i, j := range jobs {
		shards[i%n] = append(shards[i%n], j)
	}
	var wg sync.WaitGroup
	for _, shard := range shards {
		wg.Add(1)
		go s.runShard(ctx, &wg, shard)
	}
	wg.Wait()
}

func (s *Server) runShard(ctx context.Context, wg *sync.WaitGroup, jobs []Job) {
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			s.log.Printf("worker: abandoning %d queued jobs: %v", len(jobs), err)
			return
		}
		if err := s.RunNow(ctx, j); err != nil {
			s.log.Printf("worker: job %s: %v", j.ID, err)
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// Broadcast runs copies of j concurrently and waits for all of them.
func (s *Server) Broadcast(ctx context.Context, j Job, copies int) []error {
	errs := make([]error, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			errs[i] = s.RunNow(ctx, j)
		}()
	}
	wg.Wait()
	return errs
}
