package workers

import (
	"context"
	"sync"
	"sync/atomic"
)

// RunBatch runs jobs concurrently and returns how many failed. Jobs marked
// Skip count as done without running.
func RunBatch(ctx context.Context, jobs []Job) int {
	var b struct {
		sync.WaitGroup
		failed atomic.Int32
	}
	for _, job := range jobs {
		b.Add(1)
		go func() {
			if job.Skip {
				return
			}
			if err := job.Run(ctx); err != nil {
				b.failed.Add(1)
			}
			b.Done() // HAZ waitgroup-done-path
		}()
	}
	b.Wait()
	return int(b.failed.Load())
}

// RunLimited runs jobs on at most workers goroutines and returns the error of
// every job, indexed like jobs.
func RunLimited(ctx context.Context, jobs []Job, workers int) []error {
	errs := make([]error, len(jobs))
	var g struct {
		sync.WaitGroup
		next atomic.Int64
	}
	for w := 0; w < workers; w++ {
		g.Add(1)
		go func() {
			defer g.Done()
			for {
				i := int(g.next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				if jobs[i].Skip {
					continue
				}
				errs[i] = jobs[i].Run(ctx)
			}
		}()
	}
	g.Wait()
	return errs
}

// RunEach runs every job on its own goroutine and counts the successes. The
// counter is released on every path of the goroutine, including a Skip.
func RunEach(ctx context.Context, jobs []Job) int {
	var b struct {
		sync.WaitGroup
		ok atomic.Int32
	}
	b.Add(len(jobs))
	for _, job := range jobs {
		go func() {
			defer b.Done()
			if job.Skip {
				return
			}
			if job.Run(ctx) == nil {
				b.ok.Add(1)
			}
		}()
	}
	b.Wait()
	return int(b.ok.Load())
}
