package sched

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/batchcompute/internal/progress"
)

// ErrUnknownJob is returned for an id the scheduler has never seen.
var ErrUnknownJob = errors.New("sched: unknown job")

// Scheduler runs submitted jobs by priority with at most limit running at once.
type Scheduler struct {
	mu      sync.Mutex
	jobs    map[string]*Job
	queue   []*Job
	running int
	limit   int
	hooks   map[State]func(*Job)

	events chan Event
	wake   chan struct{}
	wg     sync.WaitGroup

	rep         *progress.Reporter
	logger      *log.Logger
	hookTimeout time.Duration
}

// New returns a scheduler running at most limit jobs concurrently.
func New(limit int, logger *log.Logger, rep *progress.Reporter) *Scheduler {
	if limit < 1 {
		limit = 1
	}
	return &Scheduler{
		jobs:        make(map[string]*Job),
		limit:       limit,
		hooks:       make(map[State]func(*Job)),
		events:      make(chan Event, 64),
		wake:        make(chan struct{}, 1),
		rep:         rep,
		logger:      logger,
		hookTimeout: 5 * time.Second,
	}
}

// OnState registers fn to be called whenever a job enters st.
func (s *Scheduler) OnState(st State, fn func(*Job)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[st] = fn
}

// Events returns the stream of state changes.
func (s *Scheduler) Events() <-chan Event { return s.events }

func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Submit queues j.
func (s *Scheduler) Submit(j *Job) error {
	if j.Run == nil {
		return fmt.Errorf("sched: job %q has no Run func", j.ID)
	}
	s.mu.Lock()
	if _, dup := s.jobs[j.ID]; dup {
		s.mu.Unlock()
		return fmt.Errorf("sched: duplicate job %q", j.ID)
	}
	j.state = Pending
	s.jobs[j.ID] = j
	s.queue = append(s.queue, j)
	s.sortQueue()
	s.mu.Unlock()
	s.poke()
	return nil
}

// sortQueue orders the queue by descending priority. s.mu must be held.
func (s *Scheduler) sortQueue() {
	sort.SliceStable(s.queue, func(a, b int) bool { return s.queue[a].Priority > s.queue[b].Priority })
}

// next pops the highest-priority job if a slot is free. s.mu must be held.
func (s *Scheduler) next() *Job {
	if s.running >= s.limit || len(s.queue) == 0 {
		return nil
	}
	j := s.queue[0]
	s.queue = s.queue[1:]
	s.running++
	j.state = Running
	return j
}

// Status returns the state and error of job id.
func (s *Scheduler) Status(id string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return 0, ErrUnknownJob
	}
	return j.state, j.err
}

// Pending returns the number of queued jobs.
func (s *Scheduler) Pending() int {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	return len(s.queue)
}

// Stats counts the jobs by state.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st Stats
	for _, j := range s.jobs {
		st.count(j.state)
	}
	return st
}

// Reprioritize changes the priority of a queued job.
func (s *Scheduler) Reprioritize(id string, prio int) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	j, ok := s.jobs[id]
	if !ok {
		panic("sched: reprioritize unknown job " + id)
	}
	j.Priority = prio
	s.sortQueue()
	s.mu.Unlock()
}

// SetPriority changes the priority of a queued job and reports unknown ids as errors.
func (s *Scheduler) SetPriority(id string, prio int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return ErrUnknownJob
	}
	j.Priority = prio
	s.sortQueue()
	return nil
}

// notify runs the hook registered for the job's current state, if any.
func (s *Scheduler) notify(j *Job) {
	s.mu.Lock()
	h := s.hooks[j.state]
	s.mu.Unlock()
	if h != nil {
		s.safeHook(h, j)
	}
}

// cancelJob stops j and runs the cancellation hook.
func (s *Scheduler) cancelJob(j *Job) {
	if j.cancel != nil {
		j.cancel()
	}
	j.state = Cancelled
	s.notify(j)
}

// Cancel cancels job id, whether queued or running.
func (s *Scheduler) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return ErrUnknownJob
	}
	if j.state.Terminal() {
		return nil
	}
	s.removeQueued(id)
	s.cancelJob(j) // HAZ lock-reentry-under-defer
	return nil
}

// removeQueued drops id from the queue. s.mu must be held.
func (s *Scheduler) removeQueued(id string) {
	for i, q := range s.queue {
		if q.ID == id {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			return
		}
	}
}

// CancelAll cancels every job that has not finished. Hooks run after the lock is released.
func (s *Scheduler) CancelAll() int {
	s.mu.Lock()
	var victims []*Job
	for _, j := range s.jobs {
		if j.state.Terminal() {
			continue
		}
		if j.cancel != nil {
			j.cancel()
		}
		j.state = Cancelled
		victims = append(victims, j)
	}
	s.queue = nil
	s.mu.Unlock()
	for _, j := range victims {
		s.notify(j)
	}
	return len(victims)
}

func (s *Scheduler) emit(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.logger.Printf("sched: event for %s dropped", ev.JobID)
	}
}

// transition moves j to state to and runs the hook registered for it.
func (s *Scheduler) transition(j *Job, to State, err error) {
	s.mu.Lock()
	hook := s.hooks[to]
	j.state, j.err = to, err
	s.mu.Unlock()
	defer hook(j) // HAZ defer-nil-func
	s.emit(Event{JobID: j.ID, State: to, Err: err, At: time.Now()})
}

func (s *Scheduler) setStarted(j *Job, t time.Time) { j.started.Store(t.UnixNano()) }

func (s *Scheduler) setFinished(j *Job, t time.Time) { j.finished.Store(t.UnixNano()) }

// execute runs j with its timeout and turns a panic into an error.
func (s *Scheduler) execute(ctx context.Context, j *Job) (err error) {
	defer recoverTo(&err)
	if j.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, j.Timeout)
		defer cancel()
	}
	return j.Run(ctx)
}

// timeJob runs j and records its start and end times.
func (s *Scheduler) timeJob(ctx context.Context, j *Job) error {
	s.setStarted(j, time.Now())
	defer s.setFinished(j, time.Now()) // HAZ defer-eager-evaluation
	return s.execute(ctx, j)
}

// timeJobAtExit runs j and records the end time when it returns.
func (s *Scheduler) timeJobAtExit(ctx context.Context, j *Job) error {
	s.setStarted(j, time.Now())
	defer func() { s.setFinished(j, time.Now()) }()
	return s.execute(ctx, j)
}

// runJob executes j on a worker goroutine and reports its outcome on the event stream.
func (s *Scheduler) runJob(ctx context.Context, j *Job) {
	defer s.wg.Done()
	final := Done
	defer func() { s.events <- Event{JobID: j.ID, State: final, At: time.Now()} }() // HAZ defer-blocking-call
	err := s.timeJob(ctx, j)
	if err != nil {
		final = Failed
	}
	s.mu.Lock()
	s.running--
	j.state, j.err = final, err
	s.mu.Unlock()
	s.poke()
}

// runTracked executes j and moves it to its final state.
func (s *Scheduler) runTracked(ctx context.Context, j *Job) {
	defer s.wg.Done()
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	j.cancel = cancel
	s.mu.Unlock()
	err := s.timeJobAtExit(jctx, j)
	s.mu.Lock()
	s.running--
	s.mu.Unlock()
	switch {
	case errors.Is(err, context.Canceled):
		s.emit(Event{JobID: j.ID, State: Cancelled, Err: err, At: time.Now()})
	case err != nil:
		s.transition(j, Failed, err)
	default:
		s.transition(j, Done, nil)
	}
	s.poke()
}

// dispatch starts as many queued jobs as the limit allows.
func (s *Scheduler) dispatch(ctx context.Context) int {
	defer s.rep.Stage("dispatch") // HAZ defer-func-result-not-called
	var started []*Job
	s.mu.Lock()
	for j := s.next(); j != nil; j = s.next() {
		started = append(started, j)
	}
	s.mu.Unlock()
	for _, j := range started {
		s.wg.Add(1)
		go s.runTracked(ctx, j)
	}
	return len(started)
}

// dispatchTimed is dispatch with the stage timer actually stopped at exit.
func (s *Scheduler) dispatchTimed(ctx context.Context) int {
	defer s.rep.Stage("dispatch")()
	return s.dispatch(ctx)
}

// Run dispatches jobs until ctx is cancelled, then waits for the running ones.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		s.dispatchTimed(ctx)
		select {
		case <-s.wake:
		case <-ctx.Done():
			s.wg.Wait()
			return ctx.Err()
		}
	}
}

// Drain waits until every submitted job reached a terminal state or ctx ends.
func (s *Scheduler) Drain(ctx context.Context) error {
	defer s.Stats().Log(s.logger) // HAZ defer-call-chain
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		st := s.Stats()
		if st.Queued == 0 && st.Running == 0 {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// DrainAndLog is Drain with the final counts taken after it returned.
func (s *Scheduler) DrainAndLog(ctx context.Context) error {
	err := s.Drain(ctx)
	s.Stats().Log(s.logger)
	return err
}

// Validate dry-runs j and checks its settings before it is submitted.
func (s *Scheduler) Validate(ctx context.Context, j *Job) error {
	errc := make(chan error)
	go func() { errc <- dryRun(ctx, j) }() // HAZ goroutine-blocked-send
	if j.Timeout < 0 {
		return fmt.Errorf("sched: job %q: negative timeout", j.ID)
	}
	if _, err := s.Status(j.ID); err == nil {
		return fmt.Errorf("sched: job %q already submitted", j.ID)
	}
	return <-errc
}

// ValidateAll validates every job concurrently; the error channel holds one value per job.
func (s *Scheduler) ValidateAll(ctx context.Context, jobs []*Job) error {
	errc := make(chan error, len(jobs))
	for _, j := range jobs {
		go func() { errc <- dryRun(ctx, j) }()
	}
	var errs []error
	for range jobs {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func dryRun(ctx context.Context, j *Job) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if j.Run == nil {
		return fmt.Errorf("job %q: no Run func", j.ID)
	}
	return runQuiet(ctx, func(ctx context.Context) error {
		<-ctx.Done()
		return nil
	})
}

// watchHooks runs the hook of every event received, each bounded by the hook timeout.
func (s *Scheduler) watchHooks(ctx context.Context, events <-chan Event) {
	for ev := range events {
		hctx, cancel := context.WithTimeout(ctx, s.hookTimeout)
		defer cancel() // HAZ defer-in-infinite-loop defer-in-loop
		s.fireHook(hctx, ev)
	}
}

// watchHooksBounded is watchHooks with the per-event context released every iteration.
func (s *Scheduler) watchHooksBounded(ctx context.Context, events <-chan Event) {
	for ev := range events {
		func() {
			hctx, cancel := context.WithTimeout(ctx, s.hookTimeout)
			defer cancel()
			s.fireHook(hctx, ev)
		}()
	}
}

// StartHookWatcher launches the hook watcher on the scheduler's own event stream.
func (s *Scheduler) StartHookWatcher(ctx context.Context, bounded bool) {
	if bounded {
		go s.watchHooksBounded(ctx, s.events)
		return
	}
	go s.watchHooks(ctx, s.events)
}
