package jobs

import "sync"

// A Pool runs a growing set of numbered workers over a shared job queue.
type Pool struct {
	work func(worker int, j Job) Result

	jobs      chan Job
	results   chan Result
	wg        sync.WaitGroup
	closeOnce sync.Once

	mu      sync.Mutex
	workers int
}

// NewPool returns a pool with no workers. Results must be drained by the
// caller.
func NewPool(work func(worker int, j Job) Result) *Pool {
	return &Pool{
		work:    work,
		jobs:    make(chan Job),
		results: make(chan Result),
	}
}

// Start launches n workers numbered from 0. It must be called at most
// once, before Grow.
func (p *Pool) Start(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.loop(i)
		}()
	}
	p.workers = n
}

// Grow adds workers until there are n, continuing the numbering.
func (p *Pool) Grow(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var id int
	for id = p.workers; id < n; id++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.loop(id)
		}()
	}
	p.workers = id
}

// loop is the body of one worker.
func (p *Pool) loop(id int) {
	for j := range p.jobs {
		p.results <- p.work(id, j)
	}
}

// Submit queues j, blocking until a worker takes it.
func (p *Pool) Submit(j Job) { p.jobs <- j }

// Results returns the result channel; it is closed by Close.
func (p *Pool) Results() <-chan Result { return p.results }

// Close stops accepting jobs, waits for the workers and closes Results.
// The caller must keep draining Results until it is closed.
func (p *Pool) Close() {
	p.closeOnce.Do(func() {
		close(p.jobs)
		p.wg.Wait()
		close(p.results)
	})
}
