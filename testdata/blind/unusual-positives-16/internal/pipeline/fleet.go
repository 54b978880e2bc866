package pipeline

import (
	"fmt"
	"sync"
)

// Job is one unit of archive work.
type Job struct {
	Key   string
	Paths []string
}

// Fleet runs jobs on a fixed set of workers.
type Fleet struct {
	Handle func(Job) error

	jobs   chan Job
	errs   chan error
	wg     sync.WaitGroup
	shards sync.WaitGroup
}

// NewFleet returns a Fleet with a job queue of the given length.
func NewFleet(handle func(Job) error, queue int) *Fleet {
	return &Fleet{
		Handle: handle,
		jobs:   make(chan Job, queue),
		errs:   make(chan error, queue),
	}
}

// Start launches n workers.
func (f *Fleet) Start(n int) {
	for i := range n {
		f.wg.Add(1)
		go f.worker(i)
	}
}

func (f *Fleet) worker(id int) {
	defer f.wg.Done()
	for j := range f.jobs {
		if err := f.Handle(j); err != nil {
			f.report(fmt.Errorf("worker %d: job %s: %w", id, j.Key, err))
		}
	}
}

// report records err unless the error buffer is full.
func (f *Fleet) report(err error) {
	select {
	case f.errs <- err:
	default:
	}
}

// Submit queues j.
func (f *Fleet) Submit(j Job) {
	f.jobs <- j
}

// Close stops accepting jobs, waits for the workers and returns their errors.
func (f *Fleet) Close() []error {
	close(f.jobs)
	f.wg.Wait()
	close(f.errs)
	var out []error
	for err := range f.errs {
		out = append(out, err)
	}
	return out
}

// RunSharded splits jobs into n shards, works through them concurrently and
// returns the first error of every failed shard.
func (f *Fleet) RunSharded(jobs []Job, n int) []error {
	shards := split(jobs, n)
	errs := make(chan error, len(shards))
	for _, shard := range shards {
		f.shards.Add(1)
		go drainShard(&f.shards, shard, f.Handle, errs)
	}
	f.shards.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

func drainShard(wg *sync.WaitGroup, shard []Job, handle func(Job) error, errs chan<- error) {
	for _, j := range shard {
		if err := handle(j); err != nil {
			errs <- fmt.Errorf("job %s: %w", j.Key, err)
			return
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// RunEach handles every job on its own goroutine and waits for all of them.
func (f *Fleet) RunEach(jobs []Job) []error {
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		f.shards.Add(1)
		go handleOne(&f.shards, f.Handle, j, &errs[i])
	}
	f.shards.Wait()
	return errs
}

func handleOne(wg *sync.WaitGroup, handle func(Job) error, j Job, errp *error) {
	defer wg.Done()
	if err := handle(j); err != nil {
		*errp = fmt.Errorf("job %s: %w", j.Key, err)
	}
}

// Retry re-runs failed jobs once each, concurrently.
func (f *Fleet) Retry(failed []Job) []error {
	errs := make([]error, len(failed))
	for i, j := range failed {
		f.shards.Add(1)
		go f.retryOne(j, &errs[i])
	}
	f.shards.Wait()
	return errs
}

func (f *Fleet) retryOne(j Job, errp *error) {
	defer f.shards.Done()
	if err := f.Handle(j); err != nil {
		*errp = fmt.Errorf("retry %s: %w", j.Key, err)
		f.shards.Done() // HAZ waitgroup-done-path
		return
	}
}

func split(jobs []Job, n int) [][]Job {
	if n < 1 {
		n = 1
	}
	size := (len(jobs) + n - 1) / n
	var shards [][]Job
	for len(jobs) > 0 {
		k := min(size, len(jobs))
		shards = append(shards, jobs[:k])
		jobs = jobs[k:]
	}
	return shards
}
