// Package pool is a bounded worker pool for outgoing pushes: a fixed number
// of workers drain a bounded queue, so a slow peer cannot make the node spawn
// an unbounded number of goroutines.
package pool

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("pool: closed")

// Task is one unit of outgoing work.
type Task func(ctx context.Context) error

// Pool runs tasks on a fixed set of workers.
type Pool struct {
	tasks   chan Task
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	closed  atomic.Bool
	failed  atomic.Int64
	onError func(error)
	logger  *log.Logger
}

// New starts workers goroutines sharing a queue of the given depth. onError
// is called for every failed task and may be nil.
func New(ctx context.Context, workers, queue int, onError func(error), logger *log.Logger) *Pool {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &Pool{
		tasks:   make(chan Task, queue),
		ctx:     ctx,
		cancel:  cancel,
		onError: onError,
		logger:  logger,
	}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	for {
		select {
		case t := <-p.tasks:
			p.run(id, t)
		case <-p.ctx.Done():
			return
		}
	}
}

// run executes one task; a panicking task is logged and counted as failed.
func (p *Pool) run(id int, t Task) {
	defer func() {
		if r := recover(); r != nil {
			p.failed.Add(1)
			p.logger.Printf("pool: worker %d: task panicked: %v", id, r)
		}
	}()
	if err := t(p.ctx); err != nil {
		p.failed.Add(1)
		p.report(err)
	}
}

// report hands err to the error callback.
func (p *Pool) report(err error) {
	if p.onError == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken error callback must not take the worker down
		}
	}()
	p.onError(err)
}

// Submit queues t, waiting for room until ctx is done.
func (p *Pool) Submit(ctx context.Context, t Task) error {
	if p.closed.Load() {
		return ErrClosed
	}
	select {
	case p.tasks <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-p.ctx.Done():
		return ErrClosed
	}
}

// TrySubmit queues t only if there is room right now.
func (p *Pool) TrySubmit(t Task) bool {
	if p.closed.Load() {
		return false
	}
	select {
	case p.tasks <- t:
		return true
	default:
		return false
	}
}

// Failed returns how many tasks failed or panicked.
func (p *Pool) Failed() int64 {
	return p.failed.Load()
}

// Close stops the workers and waits for running tasks. Queued tasks that
// have not started are dropped.
func (p *Pool) Close() {
	if !p.closed.CompareAndSwap(false, true) {
		return
	}
	p.cancel()
	p.wg.Wait()
}
