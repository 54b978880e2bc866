package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
)

// Pool is a fixed set of workers consuming tasks.
type Pool struct {
	tasks   chan func(context.Context) error
	done    chan struct{}
	errs    chan error
	wg      sync.WaitGroup
	running atomic.Int32
	logger  *slog.Logger
}

// NewPool returns a pool with room for queue pending tasks.
func NewPool(queue int, logger *slog.Logger) *Pool {
	return &Pool{
		tasks:  make(chan func(context.Context) error, queue),
		done:   make(chan struct{}),
		errs:   make(chan error, queue),
		logger: logger,
	}
}

// Start launches n workers that stop when ctx ends or the pool is closed.
// Each worker recovers its own panics.
func (p *Pool) Start(ctx context.Context, n int) {
	for i := range n {
		p.wg.Go(func() { p.worker(ctx, i) })
	}
}

func (p *Pool) worker(ctx context.Context, id int) {
	p.running.Add(1)
	defer p.running.Add(-1)
	for {
		select {
		case <-ctx.Done():
			return
		case task, ok := <-p.tasks:
			if !ok {
				return
			}
			if err := p.runTask(ctx, id, task); err != nil {
				select {
				case p.errs <- err:
				default:
					p.logger.Warn("error dropped", "worker", id, "err", err)
				}
			}
		}
	}
}

func (p *Pool) runTask(ctx context.Context, id int, task func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker %d: panic: %v\n%s", id, r, debug.Stack())
		}
	}()
	return task(ctx)
}

// Submit queues a task or fails when ctx ends first.
func (p *Pool) Submit(ctx context.Context, task func(context.Context) error) error {
	select {
	case p.tasks <- task:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Close stops accepting tasks and waits for the workers.
func (p *Pool) Close() error {
	close(p.tasks)
	p.wg.Wait()
	close(p.errs)
	var errs []error
	for err := range p.errs {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Batch processes items concurrently and returns the number processed.
func Batch[T any](items []T, fn func(T) error) (int, []error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		n    int
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			if err := fn(it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return n, errs
}

// BatchDeferred is Batch with the Done deferred, so both paths count.
func BatchDeferred[T any](items []T, fn func(T) error) (int, []error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		n    int
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := fn(it)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			n++
		}()
	}
	wg.Wait()
	return n, errs
}

// Broadcast delivers msg to every subscriber concurrently.
func Broadcast[T any](subs []chan<- T, msg T) {
	var wg sync.WaitGroup
	wg.Add(len(subs))
	for _, s := range subs {
		go func() {
			defer wg.Done()
			select {
			case s <- msg:
			default:
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
}

// Notify delivers msg to every subscriber that is ready, using wg.Go so
// there is no Add/Done to get wrong.
func Notify[T any](subs []chan<- T, msg T) int {
	var wg sync.WaitGroup
	var sent atomic.Int64
	for _, s := range subs {
		wg.Go(func() {
			select {
			case s <- msg:
				sent.Add(1)
			default:
			}
		})
	}
	wg.Wait()
	return int(sent.Load())
}

// Partition splits data into parts and sums each part concurrently.
func Partition(data []int, parts int) []int {
	sums := make([]int, parts)
	size := (len(data) + parts - 1) / parts
	var wg sync.WaitGroup
	var i int
	for i = 0; i < parts; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			lo := min(i*size, len(data))
			hi := min(lo+size, len(data))
			for _, v := range data[lo:hi] {
				sums[i] += v
			}
		}()
	}
	wg.Wait()
	return sums
}

// PartitionPerIter declares the index in the loop header, so with Go 1.22
// semantics every goroutine has its own copy.
func PartitionPerIter(data []int, parts int) []int {
	sums := make([]int, parts)
	size := (len(data) + parts - 1) / parts
	var wg sync.WaitGroup
	for i := 0; i < parts; i++ {
		wg.Go(func() {
			lo := min(i*size, len(data))
			hi := min(lo+size, len(data))
			for _, v := range data[lo:hi] {
				sums[i] += v
			}
		})
	}
	wg.Wait()
	return sums
}

// PartitionArg keeps an outer index but passes it as an argument.
func PartitionArg(data []int, parts int) []int {
	sums := make([]int, parts)
	size := (len(data) + parts - 1) / parts
	var wg sync.WaitGroup
	var i int
	for i = 0; i < parts; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			lo := min(i*size, len(data))
			hi := min(lo+size, len(data))
			for _, v := range data[lo:hi] {
				sums[i] += v
			}
		}(i)
	}
	wg.Wait()
	return sums
}

// Supervisor restarts a worker function and converts its panics.
type Supervisor struct {
	Name    string
	Logger  *slog.Logger
	stopped chan struct{}
}

// NewSupervisor returns a supervisor whose stopped channel is unbuffered:
// a coordinator is expected to be waiting on it.
func NewSupervisor(name string, logger *slog.Logger) *Supervisor {
	return &Supervisor{Name: name, Logger: logger, stopped: make(chan struct{})}
}

// Stopped returns the channel signalled when Run returns.
func (s *Supervisor) Stopped() <-chan struct{} { return s.stopped }

// Run runs fn until ctx is done, signalling the coordinator on exit.
func (s *Supervisor) Run(ctx context.Context, fn func(context.Context) error) error {
	defer func() { s.stopped <- struct{}{} }() // HAZ defer-blocking-call
	for ctx.Err() == nil {
		if err := fn(ctx); err != nil {
			s.Logger.Warn("worker failed, restarting", "name", s.Name, "err", err)
		}
	}
	return context.Cause(ctx)
}

// RunNotify is Run with a non-blocking exit signal.
func (s *Supervisor) RunNotify(ctx context.Context, fn func(context.Context) error) error {
	defer func() {
		select {
		case s.stopped <- struct{}{}:
		default:
		}
	}()
	for ctx.Err() == nil {
		if err := fn(ctx); err != nil {
			s.Logger.Warn("worker failed, restarting", "name", s.Name, "err", err)
		}
	}
	return context.Cause(ctx)
}

// RunGuarded runs fn, recovering its panics, and starts the helpers given
// in extra alongside it.
func (s *Supervisor) RunGuarded(ctx context.Context, fn func(context.Context) error, extra ...func(context.Context)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", s.Name, r)
		}
	}()
	for _, h := range extra {
		go h(ctx) // HAZ goroutine-outside-recover
	}
	return fn(ctx)
}

// RunQuiet runs fn, dropping panics on the floor.
func (s *Supervisor) RunQuiet(ctx context.Context, fn func(context.Context) error) error {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	return fn(ctx)
}

// Sorted collects the results of Map, failing on the first error.
func Sorted[T any](ch <-chan Result[T], cmp func(a, b T) int) ([]T, error) {
	var out []T
	for r := range ch {
		if r.Err != nil {
			return nil, r.Err
		}
		out = append(out, r.Val)
	}
	slices.SortFunc(out, cmp)
	return out, nil
}
