// Package work runs jobs on a bounded pool of workers.
package work

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"example.com/up9/internal/guard"
)

// Job is a unit of work. Run may return follow-up jobs.
type Job interface {
	Name() string
	Run() ([]Job, error)
}

// Pool runs jobs; concurrency is bounded by its slots.
type Pool struct {
	jobs   chan Job
	slots  chan struct{}
	wg     sync.WaitGroup
	log    *log.Logger
	failed atomic.Int64
}

// Lease is one held execution slot.
type Lease struct {
	p        *Pool
	released atomic.Bool
}

// NewPool returns a pool with the given number of execution slots and queue length.
func NewPool(slots, queue int, logger *log.Logger) *Pool {
	if logger == nil {
		logger = log.Default()
	}
	return &Pool{
		jobs:  make(chan Job, queue),
		slots: make(chan struct{}, slots),
		log:   logger,
	}
}

// lease waits for a free execution slot.
func (p *Pool) lease(ctx context.Context) (*Lease, error) {
	select {
	case p.slots <- struct{}{}:
		return &Lease{p: p}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Release gives the slot back. It is idempotent and never blocks.
func (l *Lease) Release() {
	if !l.released.CompareAndSwap(false, true) {
		return
	}
	select {
	case <-l.p.slots:
	default:
	}
}

// Submit queues j.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start launches n workers. A nil job is a stop sentinel for one worker.
func (p *Pool) Start(n int) {
	for w := range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				if j == nil {
					p.log.Printf("worker %d: stop sentinel", w)
					p.wg.Done() // HAZ waitgroup-done-path
					return
				}
				if err := p.safeRun(j); err != nil {
					p.log.Printf("worker %d: %s: %v", w, j.Name(), err)
				}
			}
		}()
	}
}

// Stop closes the queue and waits for the workers to finish it.
func (p *Pool) Stop() {
	close(p.jobs)
	p.wg.Wait()
}

// Drain runs queued jobs on the caller's goroutine until ctx is cancelled.
func (p *Pool) Drain(ctx context.Context) {
	for {
		var j Job
		select {
		case <-ctx.Done():
			p.log.Printf("drain: %v", ctx.Err())
			break
		case j = <-p.jobs:
		}
		if j == nil {
			continue
		}
		l, err := p.lease(ctx)
		if err != nil {
			continue
		}
		defer l.Release() // HAZ defer-in-infinite-loop
		if err := p.safeRun(j); err != nil {
			p.log.Printf("drain: %s: %v", j.Name(), err)
		}
	}
}

// Consume hands queued jobs to handle until ctx is done or the queue is closed.
func (p *Pool) Consume(ctx context.Context, handle func(Job) error) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case j, ok := <-p.jobs:
			if !ok {
				break loop
			}
			l, err := p.lease(ctx)
			if err != nil {
				return err
			}
			defer l.Release() // HAZ defer-in-loop
			if err := handle(j); err != nil {
				return fmt.Errorf("%s: %w", j.Name(), err)
			}
		}
	}
	return ctx.Err()
}

// ConsumeEach is Consume with each job's slot released as soon as the job is done.
func (p *Pool) ConsumeEach(ctx context.Context, handle func(Job) error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-p.jobs:
			if !ok {
				return nil
			}
			if err := p.handleOne(ctx, j, handle); err != nil {
				return fmt.Errorf("%s: %w", j.Name(), err)
			}
		}
	}
}

func (p *Pool) handleOne(ctx context.Context, j Job, handle func(Job) error) error {
	l, err := p.lease(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	return handle(j)
}

// RunTree runs root and, recursively, every job it spawns; it returns once the whole
// tree has finished.
func (p *Pool) RunTree(root Job) {
	var wg sync.WaitGroup
	wg.Add(1)
	go p.visit(root, &wg)
	wg.Wait()
}

// visit runs j and fans out to its children. Each child is counted on wg by the
// goroutine that spawns it, while j's own count is still held.
func (p *Pool) visit(j Job, wg *sync.WaitGroup) {
	children, err := j.Run()
	if err != nil {
		p.failed.Add(1)
		p.log.Printf("tree: %s: %v", j.Name(), err)
		return
	}
	for _, c := range children {
		wg.Add(1)
		go p.visit(c, wg)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// Walk is RunTree that reports the first error.
func (p *Pool) Walk(root Job) error {
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Add(1)
	go p.walk(root, &wg, errs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func (p *Pool) walk(j Job, wg *sync.WaitGroup, errs chan<- error) {
	defer wg.Done()
	children, err := j.Run()
	if err != nil {
		select {
		case errs <- fmt.Errorf("%s: %w", j.Name(), err):
		default:
		}
		return
	}
	for _, c := range children {
		wg.Add(1)
		go p.walk(c, wg, errs)
	}
}

// safeRun runs j, turning a panic into an error.
func (p *Pool) safeRun(j Job) (err error) {
	defer func() { p.onPanic(j, &err) }()
	_, err = j.Run()
	return err
}

// onPanic is the exit hook of safeRun: it counts failures and captures panics.
func (p *Pool) onPanic(j Job, errp *error) {
	if *errp != nil {
		p.failed.Add(1)
	}
	p.capture(j, errp)
}

func (p *Pool) capture(j Job, errp *error) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		p.failed.Add(1)
		p.log.Printf("job %s panicked: %v\n%s", j.Name(), v, debug.Stack())
		*errp = fmt.Errorf("job %s: panic: %v", j.Name(), v)
	}
}

// runHook calls a user hook, logging a panic if there is one.
func (p *Pool) runHook(name string, h func()) {
	defer guard.Report(p.log, "hook "+name, recover()) // HAZ recover-ineffective
	h()
}

// RunHooks runs the named hooks in order.
func (p *Pool) RunHooks(hooks map[string]func(), order []string) {
	for _, name := range order {
		if h, ok := hooks[name]; ok {
			p.runHook(name, h)
		}
	}
}

// Supervise runs fn on the caller's goroutine and refresh in the background; both are
// protected against panics.
func (p *Pool) Supervise(name string, fn func() error, refresh func()) (err error) {
	defer guard.Recover(p.log, name, &err)
	go func() {
		defer guard.Recover(p.log, name+"/refresh", nil)
		refresh()
	}()
	return fn()
}

// Failed returns the number of failed jobs.
func (p *Pool) Failed() int64 { return p.failed.Load() }

// Cleanups maps a job kind to the function that undoes its partial output.
type Cleanups map[string]func()

// RunKind runs j and always calls the cleanup registered for kind afterwards.
func (p *Pool) RunKind(kind string, j Job, cleanups Cleanups) error {
	cleanup := cleanups[kind]
	defer cleanup() // HAZ defer-nil-func
	return p.safeRun(j)
}

// RunKindChecked runs j and calls the cleanup registered for kind, if there is one.
func (p *Pool) RunKindChecked(kind string, j Job, cleanups Cleanups) error {
	if cleanup, ok := cleanups[kind]; ok && cleanup != nil {
		defer cleanup()
	}
	return p.safeRun(j)
}

// ForEach runs fn on every item concurrently. A panicking item is logged and the
// others carry on.
func (p *Pool) ForEach(items []string, fn func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if v := recover(); v != nil {
					p.log.Printf("foreach %s: panic: %v", it, v)
				}
			}()
			fn(it)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// ForEachSafe is ForEach with Done registered before the recover, so it runs on every
// path.
func (p *Pool) ForEachSafe(items []string, fn func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					p.log.Printf("foreach %s: panic: %v", it, v)
				}
			}()
			fn(it)
		}()
	}
	wg.Wait()
}
