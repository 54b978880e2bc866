package worker

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"example.com/mqworker/internal/queue"
)

// ErrStopTimeout is returned by Stop when workers outlive the grace period.
var ErrStopTimeout = errors.New("worker: pool did not stop in time")

// Pool runs a fixed set of workers.
type Pool struct {
	mu      sync.Mutex
	workers []*Worker
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	log     *log.Logger
	onStop  func()
}

// OnStop sets a hook run after Shutdown (flush metrics, close the store).
func (p *Pool) OnStop(fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onStop = fn
}

// Shutdown stops the pool, logs how long the workers took and runs the
// OnStop hook.
func (p *Pool) Shutdown(grace time.Duration) error {
	defer p.onStop() // HAZ defer-nil-func
	start := time.Now()
	err := p.Stop(grace)
	p.log.Printf("pool: stopped in %v (err=%v)", time.Since(start), err)
	return err
}

// NewPool returns a pool over workers.
func NewPool(workers []*Worker, logger *log.Logger) *Pool {
	return &Pool{workers: workers, log: logger}
}

// Start launches every worker.
func (p *Pool) Start(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ctx, p.cancel = context.WithCancel(ctx)
	var i int
	for i = 0; i < len(p.workers); i++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			if err := p.workers[i].Run(ctx); err != nil {
				p.log.Printf("pool: worker %d exited: %v", i, err)
			}
		}()
	}
	p.log.Printf("pool: started %d workers", i)
}

// StartEach is Start for callers that pass the worker set explicitly.
func (p *Pool) StartEach(ctx context.Context, ws []*Worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ctx, p.cancel = context.WithCancel(ctx)
	for i, w := range ws {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := w.Run(ctx); err != nil {
				p.log.Printf("pool: worker %d exited: %v", i, err)
			}
		}()
	}
	p.workers = append(p.workers, ws...)
}

// Stop cancels the workers and waits up to grace for them to return.
func (p *Pool) Stop(grace time.Duration) error {
	p.mu.Lock()
	cancel := p.cancel
	p.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(grace):
		return ErrStopTimeout
	}
}

// Drain runs jobs that were already leased when shutdown began, each on its
// own goroutine, and waits for all of them.
func (p *Pool) Drain(ctx context.Context, jobs []*queue.Job) {
	w := p.first()
	if w == nil {
		return
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.runWithTimeout(ctx, j); err != nil {
				p.log.Printf("pool: drain %s: %v", j.ID, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			w.complete(ctx, j)
		}()
	}
	wg.Wait()
}

func (p *Pool) first() *Worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.workers) == 0 {
		return nil
	}
	return p.workers[0]
}

// Each calls fn for every worker without holding the pool lock, so fn may
// call back into the pool.
func (p *Pool) Each(fn func(*Worker)) {
	p.mu.Lock()
	ws := append([]*Worker(nil), p.workers...)
	p.mu.Unlock()
	for _, w := range ws {
		fn(w)
	}
}
