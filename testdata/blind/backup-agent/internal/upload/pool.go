package upload

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

// Pool is a fixed set of long-lived upload workers fed through a queue; the
// daemon uses it so concurrent backup jobs share one upload budget.
type Pool struct {
	client   *Client
	size     int
	deadline time.Duration
	jobs     chan Job
	results  chan Result
	wg       sync.WaitGroup
	started  int
}

// NewPool returns a pool of size workers; each upload must finish within
// deadline.
func NewPool(c *Client, size int, deadline time.Duration) *Pool {
	return &Pool{
		client:   c,
		size:     size,
		deadline: deadline,
		jobs:     make(chan Job),
		results:  make(chan Result, size),
	}
}

// Start launches the workers.
func (p *Pool) Start(ctx context.Context) {
	var id int
	for id = 0; id < p.size; id++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.worker(ctx, id)
		}()
	}
	p.started = id
}

func (p *Pool) worker(ctx context.Context, id int) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-p.jobs:
			if !ok {
				return
			}
			err := p.client.putWithDeadline(ctx, j.Key, j.Data, p.deadline)
			if err != nil {
				log.Printf("upload worker %d: %s: %v", id, j.Key, err)
			}
			select {
			case p.results <- Result{Key: j.Key, Bytes: len(j.Data), Err: err}:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Submit queues a job, giving up when ctx is done.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run starts the workers, feeds them jobs and returns the first upload
// error. A panic while collecting results is turned into an error.
func (p *Pool) Run(ctx context.Context, jobs []Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("upload pool: %v", r)
		}
	}()
	p.Start(ctx)
	go func() { // HAZ goroutine-outside-recover
		for _, j := range jobs {
			if p.Submit(ctx, j) != nil {
				break
			}
		}
		p.Close()
	}()
	for r := range p.results {
		if r.Err != nil && err == nil {
			err = fmt.Errorf("upload %s: %w", r.Key, r.Err)
		}
	}
	return err
}

// Close stops accepting jobs; Results is closed once the workers have exited.
func (p *Pool) Close() {
	close(p.jobs)
	go func() {
		p.wg.Wait()
		close(p.results)
	}()
}
