package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// recoverInto turns a panic into an error stored through errp. It is only
// ever deferred directly.
func recoverInto(errp *error, what string) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("%s: panic: %v", what, p)
	}
}

// Group runs functions concurrently and collects the first error; each
// goroutine recovers into its own error.
type Group struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

// Go starts fn.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		var err error
		defer func() {
			if err != nil {
				g.once.Do(func() { g.err = err })
			}
		}()
		defer recoverInto(&err, "group")
		err = fn()
	}()
}

// Wait waits for every function.
func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}

// Scheduler runs tasks on fixed intervals.
type Scheduler struct {
	mu    sync.Mutex
	tasks map[string]func(context.Context) error
	every time.Duration
	stop  chan struct{}
	done  chan struct{}
	fails map[string]int
}

// NewScheduler returns a scheduler that ticks every d.
func NewScheduler(d time.Duration) *Scheduler {
	return &Scheduler{tasks: map[string]func(context.Context) error{}, every: d, fails: map[string]int{}}
}

// Add registers a task.
func (s *Scheduler) Add(name string, fn func(context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks[name] = fn
}

// runTask runs one task and counts failures; it recovers for itself.
func (s *Scheduler) runTask(ctx context.Context, name string, fn func(context.Context) error) {
	var err error
	defer func() {
		if err != nil {
			log.Printf("task %s: %v", name, err)
			s.mu.Lock()
			s.fails[name]++
			s.mu.Unlock()
		}
	}()
	defer recoverInto(&err, "task "+name)
	err = fn(ctx)
}

// tick starts every task once.
func (s *Scheduler) tick(ctx context.Context) {
	s.mu.Lock()
	tasks := make(map[string]func(context.Context) error, len(s.tasks))
	for k, v := range s.tasks {
		tasks[k] = v
	}
	s.mu.Unlock()
	for name, fn := range tasks {
		go s.runTask(ctx, name, fn) // ok: runTask recovers
	}
}

// Start runs the tick loop; the loop goroutine recovers per tick.
func (s *Scheduler) Start(ctx context.Context) {
	defer logPanic("scheduler start")
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.loop(ctx)
}

func (s *Scheduler) loop(ctx context.Context) {
	defer close(s.done)
	defer logPanic("scheduler loop")
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.tick(ctx)
		case <-s.stop:
			return
		case <-ctx.Done():
			return
		}
	}
}

// Stop ends the loop and waits for it, at most d.
func (s *Scheduler) Stop(d time.Duration) error {
	close(s.stop)
	select {
	case <-s.done:
		return nil
	case <-time.After(d):
		return errors.New("scheduler: stop timed out")
	}
}

// Failures returns the failure count of a task.
func (s *Scheduler) Failures(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fails[name]
}

// RunNow runs every task immediately and waits for them, protecting itself
// and each goroutine.
func (s *Scheduler) RunNow(ctx context.Context) (err error) {
	defer recoverInto(&err, "runnow")
	var g Group
	s.mu.Lock()
	for name, fn := range s.tasks {
		name, fn := name, fn
		g.Go(func() error { // ok: Group.Go recovers inside its goroutine
			if err := fn(ctx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	s.mu.Unlock()
	return g.Wait()
}

// Pool is a fixed set of workers fed from a channel.
type Pool struct {
	jobs chan Job
	wg   sync.WaitGroup
}

// NewPool starts n workers; each worker recovers per job so one bad job does
// not end the worker.
func NewPool(ctx context.Context, n int) (p *Pool, err error) {
	defer recoverInto(&err, "newpool")
	if n <= 0 {
		return nil, errors.New("jobs: pool size must be positive")
	}
	p = &Pool{jobs: make(chan Job)}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				p.runOne(ctx, i, j)
			}
		}()
	}
	return p, nil
}

// runOne runs one job and recovers; the worker loop above only calls it.
func (p *Pool) runOne(ctx context.Context, worker int, j Job) {
	defer logPanic(fmt.Sprintf("worker %d job %s", worker, j.ID))
	if err := j.Run(ctx); err != nil {
		log.Printf("worker %d job %s: %v", worker, j.ID, err)
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

// Close stops the workers and waits for them.
func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

// Later runs fn after d on a timer goroutine that recovers for itself.
func Later(d time.Duration, fn func()) (cancel func() bool) {
	defer logPanic("later")
	t := time.AfterFunc(d, func() {
		defer logPanic("later fn")
		fn()
	})
	return t.Stop
}

// Watchdog calls onStall when beat is not called for d. It is a protected
// constructor; its one goroutine defers logPanic itself.
func Watchdog(d time.Duration, onStall func()) (beat func(), stop func()) {
	defer logPanic("watchdog")
	beats := make(chan struct{}, 1)
	quit := make(chan struct{})
	go func() {
		defer logPanic("watchdog loop")
		t := time.NewTimer(d)
		defer t.Stop()
		for {
			select {
			case <-beats:
				if !t.Stop() {
					select {
					case <-t.C:
					default:
					}
				}
				t.Reset(d)
			case <-t.C:
				onStall()
				t.Reset(d)
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
			select {
			case beats <- struct{}{}:
			default:
			}
		}, func() {
			once.Do(func() { close(quit) })
		}
}
