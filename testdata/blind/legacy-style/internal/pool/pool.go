// Package pool has the hand-rolled worker pool, semaphore and blocking queue
// used by the workers.
package pool

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// ErrTimeout is returned when a job does not finish in time.
var ErrTimeout = errors.New("pool: timeout")

// ErrStopped is returned by Submit after Stop.
var ErrStopped = errors.New("pool: stopped")

// Job is one unit of work.
type Job struct {
	ID       int
	Payload  []byte
	Attempts int
}

// Result is the outcome of a Job.
type Result struct {
	JobID  int
	Output []byte
	Err    error
}

// HandlerFunc does the work for a Job.
type HandlerFunc func(Job) ([]byte, error)

// Pool runs jobs on a fixed number of goroutines.
type Pool struct {
	workers int
	handler HandlerFunc
	jobs    chan Job
	results chan Result
	quit    chan struct{}
	wg      sync.WaitGroup

	mu      sync.Mutex
	running bool
	onPanic func(job Job, v interface{})
}

// NewPool returns a stopped pool.
func NewPool(workers, queue int, h HandlerFunc) *Pool {
	return &Pool{
		workers: workers,
		handler: h,
		jobs:    make(chan Job, queue),
		results: make(chan Result, queue),
		quit:    make(chan struct{}),
	}
}

// OnPanic sets the callback for panicking handlers.
func (p *Pool) OnPanic(fn func(job Job, v interface{})) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onPanic = fn
}

// Start launches the workers.
func (p *Pool) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running {
		return
	}
	p.running = true
	for i := 0; i < p.workers; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
}

// worker takes jobs until quit is closed.
func (p *Pool) worker(id int) {
	defer p.wg.Done()
	for {
		select {
		case job := <-p.jobs:
			r := p.run(job)
			select {
			case p.results <- r:
			case <-p.quit:
				return
			}
		case <-p.quit:
			log.Printf("pool: worker %d exiting", id)
			return
		}
	}
}

// run calls the handler, turning a panic into an error result.
func (p *Pool) run(job Job) (res Result) {
	p.mu.Lock()
	cb := p.onPanic
	p.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			res = Result{JobID: job.ID, Err: fmt.Errorf("pool: job %d panicked: %v", job.ID, r)}
			if cb != nil {
				cb(job, r)
			}
		}
	}()
	out, err := p.handler(job)
	return Result{JobID: job.ID, Output: out, Err: err}
}

// Submit queues job, giving up after a second.
func (p *Pool) Submit(job Job) error {
	select {
	case p.jobs <- job:
		return nil
	case <-p.quit:
		return ErrStopped
	case <-time.After(time.Second):
		return ErrTimeout
	}
}

// Results returns the results channel.
func (p *Pool) Results() <-chan Result { return p.results }

// Stop stops the workers and waits for them.
func (p *Pool) Stop() {
	p.mu.Lock()
	if !p.running {
		p.mu.Unlock()
		return
	}
	p.running = false
	p.mu.Unlock()
	close(p.quit)
	p.wg.Wait()
}

// Drain collects results until none arrive for idle.
func (p *Pool) Drain(idle time.Duration) []Result {
	var out []Result
	for {
		select {
		case r := <-p.results:
			out = append(out, r)
		case <-time.After(idle):
			return out
		}
	}
}

// RunSerial handles jobs one by one, warning about slow ones.
func (p *Pool) RunSerial(jobs <-chan Job, slow time.Duration, emit func(Result)) {
	for job := range jobs {
		id := job.ID
		t := time.AfterFunc(slow, func() { log.Printf("pool: job %d is slow", id) })
		defer t.Stop() // HAZ defer-in-infinite-loop
		emit(p.run(job))
	}
}

// RunSerialTimed is RunSerial with the timer stopped in each iteration.
func (p *Pool) RunSerialTimed(jobs <-chan Job, slow time.Duration, emit func(Result)) {
	for job := range jobs {
		func(job Job) {
			t := time.AfterFunc(slow, func() { log.Printf("pool: job %d is slow", job.ID) })
			defer t.Stop()
			emit(p.run(job))
		}(job)
	}
}

// RunAll runs each job on its own goroutine and waits for all of them.
func RunAll(jobs []Job, h HandlerFunc) []Result {
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := make([]Result, 0, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			out, err := h(j)
			if err != nil {
				log.Printf("pool: job %d: %v", j.ID, err)
				return
			}
			mu.Lock()
			results = append(results, Result{JobID: j.ID, Output: out})
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(j)
	}
	wg.Wait()
	return results
}

// RunAllSafe is RunAll with Done deferred, so errors and panics still count
// the goroutine as finished.
func RunAllSafe(jobs []Job, h HandlerFunc) []Result {
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := make([]Result, 0, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			out, err := h(j)
			mu.Lock()
			defer mu.Unlock()
			results = append(results, Result{JobID: j.ID, Output: out, Err: err})
		}(j)
	}
	wg.Wait()
	return results
}

// Map applies h to every job concurrently and streams the results on out.
func Map(jobs []Job, h HandlerFunc, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func(j Job) {
			b, err := h(j)
			out <- Result{JobID: j.ID, Output: b, Err: err}
		}(j)
	}
}

// MapWait is Map that waits for every sender before closing out.
func MapWait(jobs []Job, h HandlerFunc, out chan<- Result) {
	var wg sync.WaitGroup
	defer close(out)
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			b, err := h(j)
			out <- Result{JobID: j.ID, Output: b, Err: err}
		}(j)
	}
	wg.Wait()
}

// RunWithTimeout runs h on job and gives up after d.
func RunWithTimeout(job Job, h HandlerFunc, d time.Duration) ([]byte, error) {
	type reply struct {
		b   []byte
		err error
	}
	ch := make(chan reply)
	go func() {
		b, err := h(job)
		ch <- reply{b, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// RunWithDeadline is RunWithTimeout with a one-slot buffer, so the late
// goroutine can always deliver and exit.
func RunWithDeadline(job Job, h HandlerFunc, d time.Duration) ([]byte, error) {
	type reply struct {
		b   []byte
		err error
	}
	ch := make(chan reply, 1)
	go func() {
		b, err := h(job)
		ch <- reply{b, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-timer.C:
		return nil, ErrTimeout
	}
}

// RunCancelable runs h and abandons it when cancel is closed; the sender
// selects on cancel too.
func RunCancelable(job Job, h HandlerFunc, cancel <-chan struct{}) ([]byte, error) {
	type reply struct {
		b   []byte
		err error
	}
	ch := make(chan reply)
	go func() {
		b, err := h(job)
		select {
		case ch <- reply{b, err}:
		case <-cancel:
		}
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-cancel:
		return nil, ErrStopped
	}
}
