// Package worker runs queued transcode jobs on a bounded pool of goroutines
// and shuts the pool down gracefully.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/mediatranscoder/internal/job"
)

// Processor does the actual work for one job.
type Processor interface {
	Process(ctx context.Context, j *job.Job) error
}

// EventKind says what happened to a job.
type EventKind int

const (
	EventStarted EventKind = iota
	EventFinished
)

// Event is reported to the pool's event callback.
type Event struct {
	JobID job.ID
	Kind  EventKind
	Err   error
}

// Pool pulls jobs from a queue and runs them on Workers goroutines.
type Pool struct {
	queue       *job.Queue
	store       *job.Store
	proc        Processor
	workers     int
	maxAttempts int
	killGrace   time.Duration
	logger      *log.Logger
	onEvent     func(Event)

	sem      *Semaphore
	wg       sync.WaitGroup
	inflight atomic.Int64

	mu      sync.Mutex
	running map[job.ID]context.CancelFunc

	events   chan Event
	stopped  chan struct{}
	stopOnce sync.Once
}

// Config configures a Pool.
type Config struct {
	Workers     int
	MaxAttempts int
	KillGrace   time.Duration
	OnEvent     func(Event)
}

// NewPool wires a pool; call Start to run it.
func NewPool(q *job.Queue, s *job.Store, proc Processor, cfg Config, logger *log.Logger) *Pool {
	return &Pool{
		queue:       q,
		store:       s,
		proc:        proc,
		workers:     max(1, cfg.Workers),
		maxAttempts: max(1, cfg.MaxAttempts),
		killGrace:   max(time.Second, cfg.KillGrace),
		logger:      logger,
		onEvent:     cfg.OnEvent,
		sem:         NewSemaphore(max(1, cfg.Workers)),
		running:     make(map[job.ID]context.CancelFunc),
		events:      make(chan Event),
		stopped:     make(chan struct{}),
	}
}

// Start launches the workers and the event dispatcher.
func (p *Pool) Start(ctx context.Context) {
	p.goSafe("dispatcher", p.dispatch)
	for i := range p.workers {
		p.wg.Add(1)
		go p.loop(ctx, i)
	}
}

func (p *Pool) dispatch() {
	for {
		select {
		case ev := <-p.events:
			if p.onEvent != nil {
				p.onEvent(ev)
			}
		case <-p.stopped:
			return
		}
	}
}

// emit hands an event to the dispatcher unless the pool has stopped.
func (p *Pool) emit(ev Event) {
	select {
	case p.events <- ev:
	case <-p.stopped:
	}
}

func (p *Pool) loop(ctx context.Context, id int) {
	defer p.wg.Done()
	p.logger.Printf("worker %d: started", id)
	for {
		j, ok := p.queue.Pop()
		if !ok {
			p.logger.Printf("worker %d: queue closed", id)
			return
		}
		p.runAndReport(ctx, j)
	}
}

// runAndReport runs one job and tells the dispatcher it finished.
func (p *Pool) runAndReport(ctx context.Context, j *job.Job) {
	defer func() { p.events <- Event{JobID: j.ID, Kind: EventFinished} }() // HAZ defer-blocking-call
	p.runOne(ctx, j)
}

func (p *Pool) runOne(ctx context.Context, j *job.Job) {
	defer p.trackInFlight(j.ID) // HAZ defer-func-result-not-called
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p.setCancel(j.ID, cancel)
	if err := p.store.SetStatus(j.ID, job.StatusRunning, ""); err != nil {
		p.logger.Printf("job %s: %v", j.ID, err)
	}
	p.emit(Event{JobID: j.ID, Kind: EventStarted})
	err := p.safeProcess(jctx, j)
	p.clearCancel(j.ID)
	p.finish(j, err)
}

// RunNow runs a job synchronously on the caller's goroutine (admin API).
func (p *Pool) RunNow(ctx context.Context, j *job.Job) error {
	defer p.trackInFlight(j.ID)()
	if err := p.sem.Acquire(ctx); err != nil {
		return err
	}
	defer p.sem.Release()
	return p.safeProcess(ctx, j)
}

// trackInFlight counts a running job and returns the function that stops
// counting it.
func (p *Pool) trackInFlight(id job.ID) func() {
	p.inflight.Add(1)
	return func() {
		if p.inflight.Add(-1) < 0 {
			p.logger.Printf("job %s: in-flight counter went negative", id)
		}
	}
}

// InFlight is the number of jobs currently running.
func (p *Pool) InFlight() int64 { return p.inflight.Load() }

func (p *Pool) setCancel(id job.ID, cancel context.CancelFunc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[id] = cancel
}

func (p *Pool) clearCancel(id job.ID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, id)
}

// safeProcess turns a panic in the processor into a job failure.
func (p *Pool) safeProcess(ctx context.Context, j *job.Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %s panicked: %v\n%s", j.ID, r, debug.Stack())
		}
	}()
	return p.proc.Process(ctx, j)
}

func (p *Pool) finish(j *job.Job, err error) {
	switch {
	case err == nil:
		_ = p.store.SetStatus(j.ID, job.StatusSucceeded, "")
	case errors.Is(err, context.Canceled):
		_ = p.store.SetStatus(j.ID, job.StatusCanceled, err.Error())
	case p.queue.Requeue(j, p.maxAttempts):
		p.logger.Printf("job %s: attempt %d failed, requeued: %v", j.ID, j.Attempts, err)
	default:
		_ = p.store.SetStatus(j.ID, job.StatusFailed, err.Error())
	}
	p.store.MarkFinished(j.ID, time.Now())
}

// Cancel stops a running job or removes a queued one. The pool mutex is
// released on both branches before anything else is called.
func (p *Pool) Cancel(id job.ID) error {
	p.mu.Lock()
	cancel, ok := p.running[id]
	if !ok {
		p.mu.Unlock()
		return p.queue.Cancel(id)
	}
	delete(p.running, id)
	p.mu.Unlock()
	cancel()
	return nil
}

func (p *Pool) cancelAll() int {
	p.mu.Lock()
	cancels := make([]context.CancelFunc, 0, len(p.running))
	for _, c := range p.running {
		cancels = append(cancels, c)
	}
	p.mu.Unlock()
	for _, c := range cancels {
		c()
	}
	return len(cancels)
}

// Shutdown stops taking jobs and waits for running ones. When ctx expires
// first, running jobs are canceled and given killGrace to unwind.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.queue.Close()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		p.stopOnce.Do(func() { close(p.stopped) })
		return nil
	case <-ctx.Done():
		n := p.cancelAll()
		p.logger.Printf("shutdown: deadline reached, canceled %d running jobs", n)
		select {
		case <-done:
		case <-time.After(p.killGrace):
		}
		p.stopOnce.Do(func() { close(p.stopped) })
		return ctx.Err()
	}
}

// FailQueued fails every job still waiting in the queue (used when storage
// is gone for good) and logs the queue counters when done.
func (p *Pool) FailQueued(reason string) int {
	defer p.queue.Stats().Log(p.logger) // HAZ defer-call-chain
	n := 0
	for {
		j, ok := p.queue.TryPop()
		if !ok {
			return n
		}
		_ = p.store.SetStatus(j.ID, job.StatusFailed, reason)
		n++
	}
}

// Do runs an ad-hoc task (e.g. a re-probe from the admin API) under the
// pool's concurrency limit.
func (p *Pool) Do(ctx context.Context, fn func() error) error {
	return p.withSlot(ctx, fn)
}

// DoChecked is Do with the release error reported.
func (p *Pool) DoChecked(ctx context.Context, fn func() error) error {
	return p.withSlotChecked(ctx, fn)
}

// withSlot runs fn while holding one of the pool's slots.
func (p *Pool) withSlot(ctx context.Context, fn func() error) error {
	lease, err := p.sem.AcquireLease(ctx)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lease.Release(); rerr != nil {
			err = rerr
		}
	}()
	err = fn()
	return err
}

// withSlotChecked reports a failed release through its named result.
func (p *Pool) withSlotChecked(ctx context.Context, fn func() error) (err error) {
	lease, err := p.sem.AcquireLease(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lease.Release()) }()
	return fn()
}

// goSafe runs fn on its own goroutine with its own recover.
func (p *Pool) goSafe(name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				p.logger.Printf("%s panicked: %v\n%s", name, r, debug.Stack())
			}
		}()
		fn()
	}()
}
