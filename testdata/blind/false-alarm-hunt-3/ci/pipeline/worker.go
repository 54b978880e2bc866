package pipeline

import (
	"context"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/falsealarm3/internal/safe"
)

// Job is a queued pipeline run.
type Job struct {
	ID       string
	Pipeline Pipeline
	Attempts int
}

// Pool runs jobs on a fixed number of workers.
type Pool struct {
	runner *Runner
	jobs   chan Job
	wg     sync.WaitGroup

	mu       sync.Mutex
	inflight map[string]time.Time
	closed   bool
}

// NewPool returns a pool with a job queue of size buf.
func NewPool(r *Runner, buf int) *Pool {
	return &Pool{runner: r, jobs: make(chan Job, buf), inflight: map[string]time.Time{}}
}

// Start launches n workers, each protecting itself with its own recover.
func (p *Pool) Start(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker(ctx, i)
	}
}

// worker processes jobs until the queue is closed.
func (p *Pool) worker(ctx context.Context, id int) {
	defer p.wg.Done()
	for job := range p.jobs {
		p.runJob(ctx, id, job) // ok: per-job helper holds the recover and defers
	}
}

// runJob runs one job, marking it in flight for its duration.
func (p *Pool) runJob(ctx context.Context, worker int, job Job) {
	p.mu.Lock()
	p.inflight[job.ID] = time.Now()
	p.mu.Unlock()
	p.runProtected(ctx, worker, job)
	p.done(job.ID)
}

// runProtected runs the pipeline, converting a panic into a log line so the
// worker survives.
func (p *Pool) runProtected(ctx context.Context, worker int, job Job) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("worker %d: job %s panicked: %v\n%s", worker, job.ID, r, debug.Stack())
		}
	}()
	if err := p.runner.Run(ctx, job.Pipeline); err != nil {
		log.Printf("worker %d: job %s failed: %v", worker, job.ID, err)
	}
}

func (p *Pool) done(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.inflight, id)
}

// Submit queues a job unless the pool is closed or ctx ends. The closed flag
// and the send are under the same lock as Close, so there is never a send on
// a closed channel.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return fmt.Errorf("pool closed")
	}
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return fmt.Errorf("queue full")
	}
}

// Close stops accepting jobs and waits for the workers to drain the queue.
func (p *Pool) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.jobs) // ok: Submit checks closed under the same lock
	p.mu.Unlock()
	p.wg.Wait()
}

// InFlight lists running job ids with their age.
func (p *Pool) InFlight() map[string]time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]time.Duration, len(p.inflight))
	for id, at := range p.inflight {
		out[id] = time.Since(at)
	}
	return out
}

// Dispatch runs a batch of jobs directly, protecting the dispatcher with a
// recover. Each job goroutine has its own recover too.
func (p *Pool) Dispatch(ctx context.Context, jobs []Job) {
	defer safe.LogPanic("dispatch")
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.LogPanic("job " + j.ID) // ok: own recover per goroutine
			if err := p.runner.Run(ctx, j.Pipeline); err != nil {
				log.Printf("job %s: %v", j.ID, err)
			}
		}()
	}
	wg.Wait()
}

// DispatchFast is the hot path for small jobs; it protects the dispatcher
// loop but the job goroutines run bare.
func (p *Pool) DispatchFast(ctx context.Context, jobs []Job) {
	defer safe.LogPanic("dispatch-fast")
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := p.runner.Run(ctx, j.Pipeline); err != nil {
				log.Printf("job %s: %v", j.ID, err)
			}
		}()
	}
	wg.Wait()
}

// DispatchGo uses safe.Go, which installs the recover inside the goroutine.
func (p *Pool) DispatchGo(ctx context.Context, jobs []Job, done chan<- string) {
	defer safe.LogPanic("dispatch-go")
	for _, j := range jobs {
		safe.Go("job "+j.ID, func() {
			_ = p.runner.Run(ctx, j.Pipeline)
			select {
			case done <- j.ID:
			case <-ctx.Done():
			}
		})
	}
}

// StreamLog copies a step's live output to w until the reader ends. The
// copying goroutine owns the done channel.
func StreamLog(ctx context.Context, r io.ReadCloser, w io.Writer) error {
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(w, r)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		r.Close() // ok: unblocks the copier, which then sends into the buffered slot
		return ctx.Err()
	}
}

// Watchdog cancels jobs running longer than limit, checking every interval.
func (p *Pool) Watchdog(ctx context.Context, limit, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for id, age := range p.InFlight() {
				if age > limit {
					log.Printf("job %s exceeded %s; cancelling", id, limit)
					p.runner.Cancel(id)
				}
			}
		}
	}
}
