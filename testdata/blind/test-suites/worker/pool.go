// Package worker runs order-processing jobs (payment capture, shipping
// labels, notifications) on a bounded pool of goroutines.
package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/testsuites/clock"
)

// ErrClosed is returned when submitting to a closed pool.
var ErrClosed = errors.New("worker: pool closed")

// Job is one unit of work about an order.
type Job struct {
	ID      string
	OrderID string
	Kind    string
	Attempt int
}

// Result is the outcome of one job.
type Result struct {
	JobID string
	Err   error
	Took  time.Duration
}

// Handler processes a job.
type Handler func(ctx context.Context, j Job) error

// Option configures a Pool.
type Option func(*Pool)

// WithClock sets the clock used to time jobs.
func WithClock(c clock.Clock) Option { return func(p *Pool) { p.clock = c } }

// WithLogger sets the pool's logger.
func WithLogger(l *log.Logger) Option { return func(p *Pool) { p.log = l } }

// WithHook registers a function run after every job of the given kind.
func WithHook(kind string, fn func()) Option {
	return func(p *Pool) { p.hooks[kind] = fn }
}

// Pool is a fixed-size worker pool.
type Pool struct {
	handler Handler
	jobs    chan Job
	results chan Result
	quit    chan struct{}
	wg      sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	size      int
	submitted int64
	done      int64
	failed    int64

	inflight atomic.Int64
	observed atomic.Int64
	errored  atomic.Int64

	hooks map[string]func()
	log   *log.Logger
	clock clock.Clock
}

// New returns a pool whose queue holds up to queue jobs.
func New(h Handler, queue int, opts ...Option) *Pool {
	p := &Pool{
		handler: h,
		jobs:    make(chan Job, queue),
		results: make(chan Result, queue),
		quit:    make(chan struct{}),
		hooks:   make(map[string]func()),
		log:     log.New(io.Discard, "", 0),
		clock:   clock.Real{},
	}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// Results delivers the outcome of every job run by the workers.
func (p *Pool) Results() <-chan Result { return p.results }

// Start launches n workers.
func (p *Pool) Start(ctx context.Context, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker(ctx, p.size+i)
	}
	p.size += n
}

// Grow adds workers until the pool has n of them and returns the new size.
func (p *Pool) Grow(ctx context.Context, n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var id int
	for id = p.size; id < n; id++ {
		p.wg.Add(1)
		go func() { p.worker(ctx, id) }() // HAZ loop-var-capture
	}
	p.size = id
	return id
}

func (p *Pool) worker(ctx context.Context, id int) {
	defer p.wg.Done()
	p.log.Printf("worker %d started", id)
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.quit:
			return
		case j := <-p.jobs:
			res := p.run(ctx, j)
			p.record(res)
			select {
			case p.results <- res:
			case <-p.quit:
				return
			case <-ctx.Done():
				return
			}
		}
	}
}

// run executes one job, turning a handler panic into an error result.
func (p *Pool) run(ctx context.Context, j Job) (res Result) {
	start := p.clock.Now()
	defer func() {
		if r := recover(); r != nil {
			res = Result{JobID: j.ID, Err: fmt.Errorf("worker: job %s panicked: %v", j.ID, r)}
		}
		res.Took = p.clock.Now().Sub(start)
	}()
	return Result{JobID: j.ID, Err: p.handler(ctx, j)}
}

func (p *Pool) record(res Result) {
	p.mu.Lock()
	p.done++
	if res.Err != nil {
		p.failed++
	}
	p.mu.Unlock()
}

// Submit enqueues a job, waiting for queue space.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return ErrClosed
	}
	p.submitted++
	p.mu.Unlock()
	select {
	case p.jobs <- j:
		return nil
	case <-p.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TrySubmit enqueues a job only if there is queue space right now.
func (p *Pool) TrySubmit(j Job) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.jobs <- j:
		p.submitted++
		return true
	default:
		return false
	}
}

// Close stops accepting jobs and tells the workers to exit.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	close(p.quit)
}

// Stop closes the pool and waits for the workers to exit.
func (p *Pool) Stop() {
	p.Close()
	p.wg.Wait()
}

// Stats is a snapshot of the pool counters.
type Stats struct {
	Workers   int
	Submitted int64
	Done      int64
	Failed    int64
}

// Stats returns the current counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Workers: p.size, Submitted: p.submitted, Done: p.done, Failed: p.failed}
}

// Report logs the counters.
func (s Stats) Report(l *log.Logger) {
	l.Printf("workers=%d submitted=%d done=%d failed=%d", s.Workers, s.Submitted, s.Done, s.Failed)
}

// RunBatch runs jobs synchronously, stopping at the first failure, and logs
// the pool counters when it is done.
func (p *Pool) RunBatch(ctx context.Context, jobs []Job) error {
	defer p.Stats().Report(p.log) // HAZ defer-call-chain
	for _, j := range jobs {
		res := p.run(ctx, j)
		p.record(res)
		if res.Err != nil {
			return fmt.Errorf("batch stopped at %s: %w", j.ID, res.Err)
		}
	}
	return nil
}

func (p *Pool) runWithHook(ctx context.Context, j Job) Result {
	after := p.hooks[j.Kind]
	defer after() // HAZ defer-nil-func
	return p.run(ctx, j)
}

func (p *Pool) hookFor(kind string) func() {
	if h, ok := p.hooks[kind]; ok && h != nil {
		return h
	}
	return func() {}
}

// RunHooked runs one job and then the hook registered for its kind, if any.
func (p *Pool) RunHooked(ctx context.Context, j Job) Result {
	defer p.hookFor(j.Kind)()
	return p.run(ctx, j)
}

// track counts a job as in flight until the returned func is called.
func (p *Pool) track(name string) func() {
	start := p.clock.Now()
	p.inflight.Add(1)
	return func() {
		p.inflight.Add(-1)
		p.log.Printf("%s took %s", name, p.clock.Now().Sub(start))
	}
}

// InFlight reports how many tracked jobs are running.
func (p *Pool) InFlight() int64 { return p.inflight.Load() }

// RunOne runs a job synchronously, tracking it while it runs.
func (p *Pool) RunOne(ctx context.Context, j Job) Result {
	defer p.track("run " + j.ID)()
	return p.run(ctx, j)
}

// Rerun runs a failed job again with a bumped attempt counter.
func (p *Pool) Rerun(ctx context.Context, j Job) Result {
	defer p.track("rerun " + j.ID) // HAZ defer-func-result-not-called
	j.Attempt++
	return p.run(ctx, j)
}

func (p *Pool) observe(j Job, err error) {
	p.observed.Add(1)
	if err != nil {
		p.errored.Add(1)
		p.log.Printf("job %s (%s) failed: %v", j.ID, j.Kind, err)
	}
}

// Process runs the handler directly, outside the workers, and records the
// outcome.
func (p *Pool) Process(ctx context.Context, j Job) (err error) {
	defer p.observe(j, err) // HAZ defer-eager-evaluation
	err = p.handler(ctx, j)
	return err
}

// ProcessObserved is Process with the outcome read when the function exits.
func (p *Pool) ProcessObserved(ctx context.Context, j Job) (err error) {
	defer func() { p.observe(j, err) }()
	return p.handler(ctx, j)
}

// Errored reports how many observed jobs failed.
func (p *Pool) Errored() int64 { return p.errored.Load() }

// Fan runs all jobs concurrently and collects results until ctx is done.
func (p *Pool) Fan(ctx context.Context, jobs []Job) []Result {
	out := make(chan Result, len(jobs))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func() { out <- p.run(ctx, j) }()
	}
	results := make([]Result, 0, len(jobs))
	for range jobs {
		select {
		case r := <-out:
			results = append(results, r)
		case <-ctx.Done():
			return results
		}
	}
	return results
}

// FanAll runs all jobs concurrently and waits for every one of them.
func (p *Pool) FanAll(ctx context.Context, jobs []Job) []Result {
	out := make(chan Result, len(jobs))
	defer close(out)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- p.run(ctx, j)
		}()
	}
	wg.Wait()
	results := make([]Result, 0, len(jobs))
	for range jobs {
		results = append(results, <-out)
	}
	return results
}

// Replay runs jobs concurrently and returns the first error.
func (p *Pool) Replay(ctx context.Context, jobs []Job) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.handler(ctx, j); err != nil {
				errs <- fmt.Errorf("replay %s: %w", j.ID, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Supervise runs the dispatch loop on the calling goroutine, converting a
// panic into an error, and logs the counters periodically.
func (p *Pool) Supervise(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker: supervisor panic: %v", r)
		}
	}()
	go p.reportLoop(ctx, time.Minute) // HAZ goroutine-outside-recover
	return p.dispatch(ctx)
}

// SuperviseGuarded is Supervise with the reporter protected by its own
// recover.
func (p *Pool) SuperviseGuarded(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker: supervisor panic: %v", r)
		}
	}()
	go func() {
		defer p.logPanic("reporter")
		p.reportLoop(ctx, time.Minute)
	}()
	return p.dispatch(ctx)
}

func (p *Pool) logPanic(what string) {
	if r := recover(); r != nil {
		p.log.Printf("worker: %s panicked: %v", what, r)
	}
}

func (p *Pool) reportLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.quit:
			return
		case <-t.C:
			p.Stats().Report(p.log)
		}
	}
}

func (p *Pool) dispatch(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return nil
		case j := <-p.jobs:
			p.record(p.runWithHook(ctx, j))
		}
	}
}

// Pump forwards jobs from an external queue into the pool.
func (p *Pool) Pump(src <-chan Job) {
	for j := range src {
		done := p.track("pump " + j.ID)
		defer done() // HAZ defer-in-infinite-loop
		p.jobs <- j
	}
}

// PumpUntil forwards jobs until src is closed or ctx is done.
func (p *Pool) PumpUntil(ctx context.Context, src <-chan Job) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-src:
			if !ok {
				return nil
			}
			if err := p.forward(ctx, j); err != nil {
				return err
			}
		}
	}
}

func (p *Pool) forward(ctx context.Context, j Job) error {
	done := p.track("pump " + j.ID)
	defer done()
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// safeCall runs a user callback, ignoring its panics.
func safeCall(f func()) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	f()
}

// RunHooks runs the hooks of the given kinds; a panicking hook does not stop
// the others.
func (p *Pool) RunHooks(kinds ...string) int {
	ran := 0
	for _, k := range kinds {
		if h, ok := p.hooks[k]; ok {
			safeCall(h)
			ran++
		}
	}
	return ran
}
