package cmdqueue

import (
	"context"
	"sync"
)

// Job is one command for one device.
type Job struct {
	DeviceID string
	Name     string
	Args     []byte
}

// Pool drains a list of jobs with a fixed number of workers; it backs the
// bulk command endpoint.
type Pool struct {
	q       *Queue
	workers int
}

// NewPool returns a Pool of n workers submitting to q.
func NewPool(q *Queue, n int) *Pool {
	if n < 1 {
		n = 1
	}
	return &Pool{q: q, workers: n}
}

// Run submits every job and returns the results of those that ran.
func (p *Pool) Run(ctx context.Context, jobs []Job) []Result {
	in := make(chan Job)
	out := make(chan Result, len(jobs))
	var wg sync.WaitGroup
	wg.Add(p.workers)
	for i := 0; i < p.workers; i++ {
		go p.worker(ctx, in, out, &wg)
	}
feed:
	for _, j := range jobs {
		select {
		case in <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(in)
	wg.Wait()
	close(out)
	results := make([]Result, 0, len(jobs))
	for r := range out {
		results = append(results, r)
	}
	return results
}

func (p *Pool) worker(ctx context.Context, in <-chan Job, out chan<- Result, wg *sync.WaitGroup) {
	for j := range in {
		if ctx.Err() != nil {
			return
		}
		res, err := p.q.Submit(ctx, j.DeviceID, j.Name, j.Args)
		if err != nil && res.Err == nil {
			res.DeviceID, res.Err = j.DeviceID, err
		}
		out <- res
	}
	wg.Done() // HAZ waitgroup-done-path
}
