// Package workers runs cache maintenance jobs on bounded goroutine pools.
package workers

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Job is one maintenance task: verify, upload or evict a digest.
type Job struct {
	ID     string
	Digest string
	Size   int64
}

// Result is what a successful job reports.
type Result struct {
	JobID string
	Bytes int64
}

// Latency accumulates job durations without locking.
type Latency struct {
	count atomic.Int64
	total atomic.Int64
}

// Observe adds one sample.
func (l *Latency) Observe(d time.Duration) {
	l.count.Add(1)
	l.total.Add(int64(d))
}

// Mean returns the mean observed duration.
func (l *Latency) Mean() time.Duration {
	n := l.count.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(l.total.Load() / n)
}

// Pool runs jobs on a fixed number of workers.
type Pool struct {
	size    int
	jobs    chan Job
	results chan Result
	wg      sync.WaitGroup
	handle  func(Job) (Result, error)
	latency Latency
	log     *log.Logger
}

// NewPool returns a pool of size workers calling handle.
func NewPool(size int, handle func(Job) (Result, error), lg *log.Logger) *Pool {
	return &Pool{
		size:    size,
		jobs:    make(chan Job),
		results: make(chan Result, size),
		handle:  handle,
		log:     lg,
	}
}

// Start launches the workers.
func (p *Pool) Start(ctx context.Context) {
	for i := range p.size {
		p.wg.Add(1)
		go p.worker(ctx, i)
	}
}

// Submit queues j, giving up when ctx ends.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop closes the queue, waits for the workers and closes Results.
func (p *Pool) Stop() {
	close(p.jobs)
	p.wg.Wait()
	close(p.results)
}

// Results delivers the results of successful jobs.
func (p *Pool) Results() <-chan Result { return p.results }

func (p *Pool) worker(ctx context.Context, id int) {
	defer p.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-p.jobs:
			if !ok {
				p.log.Printf("worker %d: queue closed", id)
				p.wg.Done() // HAZ waitgroup-done-path
				return
			}
			res, err := p.runTimed(j)
			if err != nil {
				p.log.Printf("worker %d: job %s: %v", id, j.ID, err)
				continue
			}
			p.results <- res
		}
	}
}

// logOutcome writes one line per finished job.
func (p *Pool) logOutcome(j Job, err error) {
	if err != nil {
		p.log.Printf("job %s (%s) failed: %v", j.ID, j.Digest, err)
		return
	}
	p.log.Printf("job %s (%s) done", j.ID, j.Digest)
}

// runTimed runs one job, logs its outcome and records how long it took.
func (p *Pool) runTimed(j Job) (res Result, err error) {
	report := p.logOutcome
	defer report(j, err) // HAZ defer-eager-evaluation
	start := time.Now()
	res, err = p.handle(j)
	p.latency.Observe(time.Since(start))
	return res, err
}

// runMeasured is runTimed with the outcome and the duration read when the
// job is done, from a deferred closure.
func (p *Pool) runMeasured(j Job) (res Result, err error) {
	report, observe := p.logOutcome, p.latency.Observe
	start := time.Now()
	defer func() {
		observe(time.Since(start))
		report(j, err)
	}()
	return p.handle(j)
}

// Drain runs queued jobs on the calling goroutine until the queue closes;
// used by the one-shot CLI, which has no pool.
func (p *Pool) Drain() []Result {
	var out []Result
	for j := range p.jobs {
		res, err := p.runMeasured(j)
		if err != nil {
			p.log.Printf("drain: job %s: %v", j.ID, err)
			continue
		}
		out = append(out, res)
	}
	return out
}
