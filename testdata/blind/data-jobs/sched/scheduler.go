package sched

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/etl/progress"
)

// Options configures a Scheduler.
type Options struct {
	Workers        int
	MaxQueue       int
	DefaultTimeout time.Duration
	Tracker        *progress.Tracker
	// Hooks maps job names to functions run after the job.
	Hooks map[string]func()
}

// Scheduler runs submitted jobs on a fixed set of workers.
type Scheduler struct {
	opts    Options
	mu      sync.Mutex
	queue   []*Job
	wake    chan struct{}
	running map[string]context.CancelFunc
	results chan Result
	events  chan Event
	stats   Stats
	stopped bool

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a scheduler; call Start to launch its workers.
func New(opts Options) *Scheduler {
	if opts.Workers < 1 {
		opts.Workers = 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		opts:    opts,
		wake:    make(chan struct{}, 1),
		running: make(map[string]context.CancelFunc),
		results: make(chan Result, 64),
		events:  make(chan Event),
		ctx:     ctx,
		cancel:  cancel,
	}
}

// Results delivers finished jobs. It is closed by Stop.
func (s *Scheduler) Results() <-chan Result { return s.results }

// Events delivers lifecycle events to a listener that keeps up.
func (s *Scheduler) Events() <-chan Event { return s.events }

func (s *Scheduler) emit(kind, job string) {
	select {
	case s.events <- Event{Job: job, Kind: kind, At: time.Now()}:
	default:
	}
}

// Submit queues j.
func (s *Scheduler) Submit(j *Job) error {
	if j == nil || j.Run == nil {
		return errors.New("sched: job has no Run func")
	}
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.stopped {
		s.mu.Unlock()
		return ErrStopped
	}
	if s.opts.MaxQueue > 0 && len(s.queue) >= s.opts.MaxQueue {
		return ErrQueueFull
	}
	s.queue = append(s.queue, j)
	s.mu.Unlock()
	s.signal()
	s.emit("queued", j.Name)
	return nil
}

// QueueLen returns the number of waiting jobs.
func (s *Scheduler) QueueLen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func (s *Scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Scheduler) pop() *Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return nil
	}
	j := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	return j
}

// Start launches the workers.
func (s *Scheduler) Start() {
	for i := 0; i < s.opts.Workers; i++ {
		s.wg.Add(1)
		go s.worker()
	}
}

func (s *Scheduler) worker() {
	defer s.wg.Done()
	for {
		j := s.pop()
		if j == nil {
			select {
			case <-s.ctx.Done():
				return
			case <-s.wake:
				continue
			}
		}
		res := s.runJob(j)
		select {
		case s.results <- res:
		case <-s.ctx.Done():
			return
		}
	}
}

// Stop cancels running jobs, waits for the workers and closes Results.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	close(s.results)
}

// Cancel cancels the running job called name.
func (s *Scheduler) Cancel(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cancel, ok := s.running[name]
	if ok {
		cancel()
	}
	return ok
}

func (s *Scheduler) track(name string, cancel context.CancelFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running[name] = cancel
}

func (s *Scheduler) untrack(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.running, name)
}

func (s *Scheduler) countResult(res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Ran++
	if res.Err != nil {
		s.stats.Failed++
	}
	var pe *PanicError
	if errors.As(res.Err, &pe) {
		s.stats.Panicked++
	}
}

// Stats returns a copy of the counters.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// runJob runs j with retries; a panic in j becomes the result's error.
func (s *Scheduler) runJob(j *Job) (res Result) {
	res = Result{Job: j.Name, Started: time.Now()}
	defer func() {
		if r := recover(); r != nil {
			res.Err = &PanicError{Value: r, Stack: debug.Stack()}
		}
		res.Finished = time.Now()
		s.countResult(res)
		s.emit("finished", j.Name)
	}()
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	s.track(j.Name, cancel)
	defer s.untrack(j.Name)
	if j.Cleanup != nil {
		defer j.Cleanup() // ok: only deferred when set
	}
	for res.Attempts = 1; ; res.Attempts++ {
		res.Err = s.attempt(ctx, j)
		if res.Err == nil || res.Attempts > j.Retries || ctx.Err() != nil {
			return res
		}
	}
}

func (s *Scheduler) attempt(ctx context.Context, j *Job) error {
	timeout := j.Timeout
	if timeout <= 0 {
		timeout = s.opts.DefaultTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return j.Run(ctx)
}

// RunNow runs j on the caller's goroutine and announces completion to the Events listener.
func (s *Scheduler) RunNow(j *Job) error {
	defer func() { s.events <- Event{Job: j.Name, Kind: "done", At: time.Now()} }() // HAZ defer-blocking-call
	return s.runJob(j).Err
}

// RunSync runs j on the caller's goroutine.
func (s *Scheduler) RunSync(j *Job) error {
	defer s.emit("done", j.Name) // ok: emit never blocks
	return s.runJob(j).Err
}

// RunBatch runs jobs one after another and prints the final counters to w.
func (s *Scheduler) RunBatch(jobs []*Job, w io.Writer) error {
	defer s.Stats().WriteTo(w) // HAZ defer-call-chain
	var errs []error
	for _, j := range jobs {
		if res := s.runJob(j); res.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.Name, res.Err))
		}
	}
	return errors.Join(errs...)
}

// RunAll is RunBatch with the counters read when it returns.
func (s *Scheduler) RunAll(jobs []*Job, w io.Writer) error {
	defer func() { _, _ = s.Stats().WriteTo(w) }() // ok: snapshot taken at exit
	var errs []error
	for _, j := range jobs {
		if res := s.runJob(j); res.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.Name, res.Err))
		}
	}
	return errors.Join(errs...)
}

// RunWithHook runs j and then the hook registered for its name.
func (s *Scheduler) RunWithHook(j *Job) Result {
	after := s.opts.Hooks[j.Name]
	defer after() // HAZ defer-nil-func
	return s.runJob(j)
}

// RunHooked runs j and then its hook, if one is registered.
func (s *Scheduler) RunHooked(j *Job) Result {
	if after, ok := s.opts.Hooks[j.Name]; ok && after != nil {
		defer after() // ok: checked
	}
	return s.runJob(j)
}

// RunTracked runs j and records its start and finish on the tracker.
func (s *Scheduler) RunTracked(j *Job) Result {
	defer s.opts.Tracker.Begin(j.Name) // HAZ defer-func-result-not-called
	return s.runJob(j)
}

// RunStage runs j as a tracker stage.
func (s *Scheduler) RunStage(j *Job) Result {
	defer s.opts.Tracker.Begin(j.Name)() // ok: the returned func is what is deferred
	res := s.runJob(j)
	if res.Err != nil {
		s.opts.Tracker.Fail(j.Name, res.Err)
	}
	return res
}

// Supervise runs j with a heartbeat and converts a panic in j into an error.
func (s *Scheduler) Supervise(ctx context.Context, j *Job, every time.Duration, beat func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go heartbeat(ctx, every, beat) // HAZ goroutine-outside-recover
	return j.Run(ctx)
}

// SuperviseSafe is Supervise with the heartbeat protected as well.
func (s *Scheduler) SuperviseSafe(ctx context.Context, j *Job, every time.Duration, beat func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("sched: heartbeat for %s panicked: %v", j.Name, r)
			}
		}()
		heartbeat(ctx, every, beat)
	}()
	return j.Run(ctx)
}

func heartbeat(ctx context.Context, every time.Duration, beat func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			beat()
		}
	}
}
