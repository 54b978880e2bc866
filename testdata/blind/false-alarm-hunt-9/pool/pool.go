// Package pool provides a bounded worker pool and small concurrency helpers.
package pool

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("pool: closed")

// Task is a unit of work.
type Task func(ctx context.Context) error

// PanicError reports a task that panicked.
type PanicError struct {
	Worker int
	Value  any
	Stack  []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("pool: task on worker %d panicked: %v", e.Worker, e.Value)
}

// Pool runs tasks on a fixed number of workers.
type Pool struct {
	ctx    context.Context
	cancel context.CancelFunc
	tasks  chan Task
	wg     sync.WaitGroup

	mu     sync.RWMutex // guards closed and the closing of tasks
	closed bool

	errMu sync.Mutex
	errs  []error

	closeFn func() error // sync.OnceValue over shutdown

	inflight  atomic.Int64
	completed atomic.Int64
	latency   atomic.Int64 // total nanoseconds
}

// New starts a pool with the given number of workers.
func New(ctx context.Context, workers int) *Pool {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &Pool{ctx: ctx, cancel: cancel, tasks: make(chan Task)}
	p.closeFn = sync.OnceValue(p.shutdown)
	for id := range workers {
		p.wg.Add(1)
		go p.worker(id)
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	for t := range p.tasks {
		if err := p.run(id, t); err != nil {
			p.record(err)
		}
	}
}

// run executes one task; a panic becomes a *PanicError.
func (p *Pool) run(id int, t Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Worker: id, Value: r, Stack: debug.Stack()}
		}
	}()
	return t(p.ctx)
}

// Submit hands t to a worker, waiting until one is free or ctx ends.
func (p *Pool) Submit(ctx context.Context, t Task) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	select {
	case p.tasks <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting tasks, waits for the workers and returns the joined
// task errors. It is safe to call more than once.
func (p *Pool) Close() error {
	return p.closeFn()
}

func (p *Pool) shutdown() error {
	p.mu.Lock()
	p.closed = true
	close(p.tasks)
	p.mu.Unlock()

	p.wg.Wait()
	p.cancel()
	return p.Err()
}

func (p *Pool) record(err error) {
	p.errMu.Lock()
	defer p.errMu.Unlock()
	p.errs = append(p.errs, err)
}

// Err returns the errors of all failed tasks so far.
func (p *Pool) Err() error {
	p.errMu.Lock()
	defer p.errMu.Unlock()
	return errors.Join(p.errs...)
}
