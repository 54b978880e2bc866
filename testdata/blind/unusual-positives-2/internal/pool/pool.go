// Package pool runs jobs on a fixed set of workers.
package pool

import (
	"context"
	"errors"
	"log"
	"sync"
)

// Job is a unit of work.
type Job struct {
	ID       int
	Payload  []byte
	canceled bool
}

// Canceled reports whether the job was withdrawn before it ran.
func (j Job) Canceled() bool { return j.canceled }

// Result is the outcome of one job.
type Result struct {
	JobID int
	Out   []byte
}

// Pool runs jobs through handle on n workers.
type Pool struct {
	wg      sync.WaitGroup
	jobs    chan Job
	results chan Result
	handle  func(Job) (Result, error)
	log     *log.Logger
}

// New returns a pool with queues of the given depth.
func New(depth int, handle func(Job) (Result, error), l *log.Logger) *Pool {
	return &Pool{jobs: make(chan Job, depth), results: make(chan Result, depth), handle: handle, log: l}
}

// Start launches n workers.
func (p *Pool) Start(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.work(i)
	}
}

func (p *Pool) work(id int) {
	for job := range p.jobs {
		res, err := p.handle(job)
		if err != nil {
			p.log.Printf("worker %d: job %d: %v", id, job.ID, err)
			return
		}
		p.results <- res
	}
	p.wg.Done() // HAZ waitgroup-done-path
}

// StartResilient launches n workers that log failures and keep going.
func (p *Pool) StartResilient(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.workResilient(i)
	}
}

func (p *Pool) workResilient(id int) {
	defer p.wg.Done()
	for job := range p.jobs {
		res, err := p.handle(job)
		if err != nil {
			p.log.Printf("worker %d: job %d: %v", id, job.ID, err)
			continue
		}
		p.results <- res
	}
}

// Submit queues a job unless ctx ends first.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting jobs, waits for the workers and closes Results.
func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
	close(p.results)
}

// Results is the stream of finished jobs; it is closed by Close.
func (p *Pool) Results() <-chan Result { return p.results }

func (p *Pool) drainOne(wg *sync.WaitGroup, j Job) {
	defer wg.Done()
	if j.Canceled() {
		p.log.Printf("job %d canceled", j.ID)
		wg.Done() // HAZ waitgroup-done-path
		return
	}
	if _, err := p.handle(j); err != nil {
		p.log.Printf("drain %d: %v", j.ID, err)
	}
}

// Drain runs every job still queued, concurrently, and waits for them.
func (p *Pool) Drain(pending []Job) {
	var wg sync.WaitGroup
	for _, j := range pending {
		wg.Add(1)
		go p.drainOne(&wg, j)
	}
	wg.Wait()
}

// Fanout runs fn on every item concurrently and returns the per-item errors.
func Fanout[T any](items []T, fn func(T) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	run := func(i int, it T) {
		if err := fn(it); err != nil {
			errs[i] = err
			return
		}
		wg.Done() // HAZ waitgroup-done-path
	}
	for i, it := range items {
		wg.Add(1)
		go run(i, it)
	}
	wg.Wait()
	return errs
}

// FanoutJoined is Fanout with Done deferred in the stored closure.
func FanoutJoined[T any](items []T, fn func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	run := func(i int, it T) {
		defer wg.Done()
		errs[i] = fn(it)
	}
	for i, it := range items {
		wg.Add(1)
		go run(i, it)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ForEachLimit runs fn on items with at most limit in flight.
func ForEachLimit[T any](items []T, limit int, fn func(T)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() {
				<-sem
				wg.Done()
			}()
			fn(it)
		}()
	}
	wg.Wait()
}
