package pipeline

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// Group is a minimal errgroup.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

// WithContext returns a group whose context is cancelled on the first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs fn in a goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait waits for all goroutines and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Job is a unit of work.
type Job struct {
	ID      int
	Payload string
}

// Pool runs jobs on a fixed set of workers.
type Pool struct {
	wg     sync.WaitGroup
	logger *log.Logger
	handle func(worker int, j Job) error
}

// NewPool creates a worker pool.
func NewPool(logger *log.Logger, handle func(int, Job) error) *Pool {
	return &Pool{logger: logger, handle: handle}
}

func (p *Pool) work(id int, jobs <-chan Job) {
	defer p.wg.Done()
	for j := range jobs {
		if err := p.handle(id, j); err != nil {
			p.logger.Printf("worker %d: job %d: %v", id, j.ID, err)
		}
	}
}

// StartWorkers launches n workers numbered from zero.
func (p *Pool) StartWorkers(n int, jobs <-chan Job) {
	var i int
	for i = 0; i < n; i++ {
		p.wg.Add(1)
		go func() { p.work(i, jobs) }() // HAZ loop-var-capture
	}
}

// Start launches n workers; the loop declares i, so each closure has its own copy.
func (p *Pool) Start(n int, jobs <-chan Job) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() { p.work(i, jobs) }() // ok: per-iteration i under go1.22
	}
}

// StartFrom launches workers numbered from first, passing the id as an argument.
func (p *Pool) StartFrom(first, n int, jobs <-chan Job) {
	var i int
	for i = first; i < first+n; i++ {
		p.wg.Add(1)
		go func(id int) { p.work(id, jobs) }(i) // ok: passed as an argument
	}
}

// StartNamed copies the shared counter before capturing it.
func (p *Pool) StartNamed(n int, jobs <-chan Job) {
	var i int
	for i = 0; i < n; i++ {
		i := i
		p.wg.Add(1)
		go func() { p.work(i, jobs) }() // ok: shadowed copy
	}
}

// Wait waits for the workers to drain the job channel.
func (p *Pool) Wait() { p.wg.Wait() }

// SafeGo starts fn in a goroutine that logs and survives a panic.
func SafeGo(logger *log.Logger, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("pipeline: goroutine panic: %v\n%s", r, debug.Stack())
			}
		}()
		fn()
	}()
}

// Processor handles batches of items.
type Processor struct {
	logger *log.Logger
	handle func(ctx context.Context, item string) error
}

// NewProcessor creates a processor.
func NewProcessor(logger *log.Logger, handle func(context.Context, string) error) *Processor {
	return &Processor{logger: logger, handle: handle}
}

// Process handles items concurrently and converts a panic into an error.
func (p *Processor) Process(ctx context.Context, batch []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: panic: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, item := range batch {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := p.handle(ctx, item); err != nil {
				p.logger.Printf("pipeline: %s: %v", item, err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// ProcessSafe recovers inside each goroutine and reports the first failure.
func (p *Processor) ProcessSafe(ctx context.Context, batch []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: panic: %v", r)
		}
	}()
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	for i, item := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("pipeline: %s: panic: %v", item, r)
				}
			}()
			errs[i] = p.handle(ctx, item)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// ProcessDetached hands each item to SafeGo, which recovers in the new goroutine.
func (p *Processor) ProcessDetached(ctx context.Context, batch []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: panic: %v", r)
		}
	}()
	for _, item := range batch {
		SafeGo(p.logger, func() {
			if err := p.handle(ctx, item); err != nil {
				p.logger.Printf("pipeline: %s: %v", item, err)
			}
		})
	}
	return nil
}

// ProcessSerial handles items one by one, each under its own recover.
func (p *Processor) ProcessSerial(ctx context.Context, batch []string) []error {
	var errs []error
	for _, item := range batch {
		func() {
			defer func() {
				if r := recover(); r != nil {
					errs = append(errs, fmt.Errorf("%s: panic: %v", item, r))
				}
			}()
			if err := p.handle(ctx, item); err != nil {
				errs = append(errs, err)
			}
		}()
	}
	return errs
}
