// Package pool runs tasks on a fixed number of workers with bounded parallelism.
package pool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("pool: closed")

// Task is one unit of work.
type Task func(ctx context.Context) error

// Counters is a point-in-time copy of the pool's progress counters.
type Counters struct {
	Submitted, Done, Failed int64
}

// Report writes the counters in a single line.
func (c Counters) Report(w io.Writer) {
	fmt.Fprintf(w, "tasks: %d submitted, %d done, %d failed\n", c.Submitted, c.Done, c.Failed)
}

// Pool is a fixed-size worker pool.
type Pool struct {
	size  int
	tasks chan Task
	wg    sync.WaitGroup
	once  sync.Once

	// sendMu guards closed and the closing of tasks against in-flight sends.
	sendMu sync.RWMutex
	closed bool

	mu   sync.Mutex
	errs []error

	submitted, done, failed atomic.Int64
}

// New returns a pool with size workers and a queue of the given depth.
func New(size, queue int) *Pool {
	if size < 1 {
		size = 1
	}
	return &Pool{size: size, tasks: make(chan Task, queue)}
}

// Start launches the workers. They run until Close is called.
func (p *Pool) Start(ctx context.Context) {
	p.wg.Add(p.size)
	for i := 0; i < p.size; i++ {
		go p.worker(ctx)
	}
}

func (p *Pool) worker(ctx context.Context) {
	defer p.wg.Done()
	for t := range p.tasks {
		if err := p.runTask(ctx, t); err != nil {
			p.failed.Add(1)
			p.recordErr(err)
			continue
		}
		p.done.Add(1)
	}
}

// runTask runs t, converting a panic into an error so that one bad task does not take
// the whole batch down.
func (p *Pool) runTask(ctx context.Context, t Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("task panicked: %v", r)
		}
	}()
	return t(ctx)
}

func (p *Pool) recordErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, err)
}

// Submit queues t, blocking while the queue is full.
func (p *Pool) Submit(ctx context.Context, t Task) error {
	p.sendMu.RLock()
	defer p.sendMu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	select {
	case p.tasks <- t:
		p.submitted.Add(1)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting tasks, waits for the queued ones and returns their joined errors.
func (p *Pool) Close() error {
	p.once.Do(func() {
		p.sendMu.Lock()
		p.closed = true
		close(p.tasks)
		p.sendMu.Unlock()
	})
	p.wg.Wait()
	return p.Err()
}

// Err returns the errors recorded so far.
func (p *Pool) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}

// Snapshot returns the current counters.
func (p *Pool) Snapshot() Counters {
	return Counters{Submitted: p.submitted.Load(), Done: p.done.Load(), Failed: p.failed.Load()}
}

// Drain returns and clears the recorded errors.
func (p *Pool) Drain() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.Err(); err == nil { // HAZ lock-reentry-under-defer
		return nil
	}
	errs := p.errs
	p.errs = nil
	return errs
}

// TakeErrors returns and clears the recorded errors without re-entering the lock.
func (p *Pool) TakeErrors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs := p.errs
	p.errs = nil
	return errs
}

// RunAll submits every task, closes the pool and prints the counters when done.
func (p *Pool) RunAll(ctx context.Context, tasks []Task, w io.Writer) error {
	defer p.Snapshot().Report(w) // HAZ defer-call-chain
	p.Start(ctx)
	for _, t := range tasks {
		if err := p.Submit(ctx, t); err != nil {
			return errors.Join(err, p.Close())
		}
	}
	return p.Close()
}

// RunAndReport is RunAll with the report taken after the pool has drained.
func (p *Pool) RunAndReport(ctx context.Context, tasks []Task, w io.Writer) error {
	defer func() { p.Snapshot().Report(w) }()
	p.Start(ctx)
	for _, t := range tasks {
		if err := p.Submit(ctx, t); err != nil {
			return errors.Join(err, p.Close())
		}
	}
	return p.Close()
}
