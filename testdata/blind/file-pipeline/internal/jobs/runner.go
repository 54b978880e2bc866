// Package jobs is the small job runner behind the pipeline: a queue of
// jobs executed by a fixed pool of worker goroutines.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"maps"
	"sync"
	"time"
)

// ErrStopped is returned when submitting to a stopped runner.
var ErrStopped = errors.New("jobs: runner stopped")

// Job is one unit of work.
type Job struct {
	ID   string
	Kind string
	Run  func(ctx context.Context) error
}

// Result is the outcome of a job.
type Result struct {
	JobID string
	Err   error
	Took  time.Duration
}

// Runner executes jobs on a pool of workers.
type Runner struct {
	workers    int
	jobTimeout time.Duration
	queue      chan Job
	results    chan Result
	done       chan string
	log        *log.Logger

	mu         sync.Mutex
	stats      map[string]int
	finalizers map[string]func()
	stopped    bool
}

// NewRunner returns a runner with the given pool size. Finished job IDs are
// announced on Done, which a watcher must drain.
func NewRunner(workers int, jobTimeout time.Duration, logger *log.Logger) *Runner {
	if logger == nil {
		logger = log.Default()
	}
	return &Runner{
		workers:    workers,
		jobTimeout: jobTimeout,
		queue:      make(chan Job, 4*workers),
		results:    make(chan Result, 4*workers),
		done:       make(chan string),
		log:        logger,
		stats:      make(map[string]int),
		finalizers: make(map[string]func()),
	}
}

// Done announces the IDs of finished jobs.
func (r *Runner) Done() <-chan string { return r.done }

// Results delivers the results of queued jobs; it is closed when Run ends.
func (r *Runner) Results() <-chan Result { return r.results }

// Submit queues j, waiting for room until ctx is done.
func (r *Runner) Submit(ctx context.Context, j Job) error {
	r.mu.Lock()
	stopped := r.stopped
	r.mu.Unlock()
	if stopped {
		return ErrStopped
	}
	select {
	case r.queue <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop closes the queue; the workers finish what is queued and exit.
func (r *Runner) Stop() {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return
	}
	r.stopped = true
	r.mu.Unlock()
	close(r.queue)
}

// OnFinish registers fn to run after every job of the given kind.
func (r *Runner) OnFinish(kind string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finalizers[kind] = fn
}

// Stats returns a copy of the per-outcome counters.
func (r *Runner) Stats() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.stats)
}

func (r *Runner) record(j Job, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats[j.Kind+".total"]++
	if err != nil {
		r.stats[j.Kind+".failed"]++
	}
}

// runJob runs one job with panic protection and records its outcome.
func (r *Runner) runJob(ctx context.Context, j Job) Result {
	start := time.Now()
	var err error
	defer r.record(j, err) // HAZ defer-eager-evaluation
	err = r.safeRun(ctx, j)
	return Result{JobID: j.ID, Err: err, Took: time.Since(start)}
}

// runJobRecorded is runJob with the outcome recorded at exit time.
func (r *Runner) runJobRecorded(ctx context.Context, j Job) (res Result) {
	start := time.Now()
	defer func() { r.record(j, res.Err) }()
	err := r.safeRun(ctx, j)
	return Result{JobID: j.ID, Err: err, Took: time.Since(start)}
}

// worker executes queued jobs until the queue is closed.
func (r *Runner) worker(ctx context.Context, id int) {
	for j := range r.queue {
		jctx, cancel := context.WithTimeout(ctx, r.jobTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		res := r.runJob(jctx, j)
		if res.Err != nil {
			r.log.Printf("worker %d: job %s: %v", id, j.ID, res.Err)
		}
		r.results <- res
	}
}

// execOne runs one queued job with its own timeout.
func (r *Runner) execOne(ctx context.Context, j Job) Result {
	jctx, cancel := context.WithTimeout(ctx, r.jobTimeout)
	defer cancel()
	return r.runJobRecorded(jctx, j)
}

// drain is the worker loop used by RunSafe: one timeout per job, released
// as soon as the job ends.
func (r *Runner) drain(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-r.queue:
			if !ok {
				return
			}
			r.results <- r.execOne(ctx, j)
		}
	}
}

// Run starts the workers and blocks until the queue is closed and drained.
func (r *Runner) Run(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: runner panicked: %v", p)
		}
	}()
	var wg sync.WaitGroup
	for i := range r.workers {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			r.worker(ctx, i)
		}()
	}
	wg.Wait()
	close(r.results)
	return ctx.Err()
}

// RunSafe is Run with panic protection in every worker goroutine.
func (r *Runner) RunSafe(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: runner panicked: %v", p)
		}
	}()
	var wg sync.WaitGroup
	for i := range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.logPanic(fmt.Sprintf("worker %d", i))
			r.drain(ctx)
		}()
	}
	wg.Wait()
	close(r.results)
	return nil
}

// RunBatch runs the jobs concurrently and returns their results in order.
// Jobs not yet started when ctx is cancelled are reported as cancelled.
func (r *Runner) RunBatch(ctx context.Context, jobs []Job) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				results[i] = Result{JobID: j.ID, Err: err}
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			results[i] = r.runJob(ctx, j)
		}()
	}
	wg.Wait()
	return results
}

// RunLimited runs the jobs with at most limit of them at a time.
func (r *Runner) RunLimited(ctx context.Context, jobs []Job, limit int) []Result {
	results := make([]Result, len(jobs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			results[i] = Result{JobID: j.ID, Err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = r.runJobRecorded(ctx, j)
		}()
	}
	wg.Wait()
	return results
}

// notify announces a finished job to the watcher.
func (r *Runner) notify(id string) {
	r.done <- id
}

// tryNotify announces a finished job if a watcher is listening right now.
func (r *Runner) tryNotify(id string) {
	select {
	case r.done <- id:
	default:
		r.log.Printf("jobs: no watcher for %s", id)
	}
}

// Execute runs j on the caller's goroutine and announces it.
func (r *Runner) Execute(ctx context.Context, j Job) error {
	defer r.notify(j.ID) // HAZ defer-blocking-call
	return r.runJob(ctx, j).Err
}

// ExecuteNow runs j on the caller's goroutine; it announces the job only
// if the watcher is ready.
func (r *Runner) ExecuteNow(ctx context.Context, j Job) error {
	defer r.tryNotify(j.ID)
	return r.runJobRecorded(ctx, j).Err
}

// runWithFinalizer runs j and then the finalizer of its kind.
func (r *Runner) runWithFinalizer(ctx context.Context, j Job) Result {
	r.mu.Lock()
	fin := r.finalizers[j.Kind]
	r.mu.Unlock()
	defer fin() // HAZ defer-nil-func
	return r.runJobRecorded(ctx, j)
}

// RunFinalized runs j and then, if one is registered, the finalizer of its
// kind, shielded from its panics.
func (r *Runner) RunFinalized(ctx context.Context, j Job) Result {
	r.mu.Lock()
	fin, ok := r.finalizers[j.Kind]
	r.mu.Unlock()
	if ok && fin != nil {
		defer r.safeCall(fin)
	}
	return r.runWithFinalizerFallback(ctx, j)
}

func (r *Runner) runWithFinalizerFallback(ctx context.Context, j Job) Result {
	if j.Run == nil {
		return Result{JobID: j.ID, Err: fmt.Errorf("jobs: job %s has no Run func", j.ID)}
	}
	return r.runJobRecorded(ctx, j)
}

// Stream runs the jobs concurrently and sends each result on out, closing
// out when it returns. It gives up waiting when ctx is done.
func (r *Runner) Stream(ctx context.Context, jobs []Job, out chan<- Result) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- r.runJobRecorded(ctx, j)
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// StreamAll runs the jobs concurrently and sends each result on out,
// closing out once every job has reported.
func (r *Runner) StreamAll(ctx context.Context, jobs []Job, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- r.runJobRecorded(ctx, j)
		}()
	}
	wg.Wait()
}

// Requeue puts the failed jobs back on the queue concurrently and returns
// how many of them were handed over before the runner stopped.
func (r *Runner) Requeue(ctx context.Context, failed []Job) int {
	var (
		i  int
		wg sync.WaitGroup
	)
	for i = 0; i < len(failed); i++ {
		if r.isStopped() {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := r.Submit(ctx, failed[i]); err != nil {
				r.log.Printf("jobs: requeue: %v", err)
			}
		}()
	}
	wg.Wait()
	return i
}

// RequeueAll is Requeue with each job handed to its goroutine.
func (r *Runner) RequeueAll(ctx context.Context, failed []Job) int {
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < len(failed) && !r.isStopped(); i++ {
		wg.Add(1)
		n++
		go func(j Job) {
			defer wg.Done()
			if err := r.Submit(ctx, j); err != nil {
				r.log.Printf("jobs: requeue: %v", err)
			}
		}(failed[i])
	}
	wg.Wait()
	return n
}

func (r *Runner) isStopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}
