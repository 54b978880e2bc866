// Package pool holds the relay's concurrency plumbing: a worker pool, probe
// fan-out, periodic flushing and batch helpers.
package pool

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("pool: closed")

// Task is one unit of work.
type Task func(ctx context.Context) error

// Pool runs tasks on a fixed set of workers. The workers live until Close,
// which cancels them and waits for every one of them to return.
type Pool struct {
	ctx    context.Context
	cancel context.CancelFunc
	tasks  chan Task
	wg     sync.WaitGroup
	once   sync.Once
	onErr  func(error)
}

// New starts workers goroutines. onErr receives task errors and panics; nil
// means log them.
func New(workers int, onErr func(error)) *Pool {
	if workers < 1 {
		workers = 1
	}
	if onErr == nil {
		onErr = func(err error) { log.Printf("pool: %v", err) }
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{ctx: ctx, cancel: cancel, tasks: make(chan Task), onErr: onErr}
	p.wg.Add(workers)
	for range workers {
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			return
		case t := <-p.tasks:
			p.run(t)
		}
	}
}

func (p *Pool) run(t Task) {
	defer func() {
		if r := recover(); r != nil {
			p.onErr(fmt.Errorf("task panicked: %v", r))
		}
	}()
	if err := t(p.ctx); err != nil {
		p.onErr(err)
	}
}

// Submit hands t to a worker, waiting until one is free.
func (p *Pool) Submit(ctx context.Context, t Task) error {
	select {
	case p.tasks <- t:
		return nil
	case <-p.ctx.Done():
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the workers and waits for them. Tasks already running see
// their context cancelled. Close is idempotent.
func (p *Pool) Close() {
	p.once.Do(func() {
		p.cancel()
		p.wg.Wait()
	})
}
