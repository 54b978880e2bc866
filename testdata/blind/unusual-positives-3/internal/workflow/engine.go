package workflow

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"example.com/unusualpos3/internal/container"
)

// Errors returned by the engine.
var (
	ErrUnknownRun  = errors.New("workflow: unknown run")
	ErrUnknownStep = errors.New("workflow: unknown step")
	ErrFinished    = errors.New("workflow: run already finished")
)

// Workflow is a named, ordered list of steps.
type Workflow struct {
	Name      string
	Steps     []string
	Isolation string
}

// Validate checks the workflow definition.
func (wf *Workflow) Validate() error {
	if wf.Name == "" {
		return errors.New("workflow: missing name")
	}
	if len(wf.Steps) == 0 {
		return fmt.Errorf("workflow %s: no steps", wf.Name)
	}
	seen := make(map[string]bool, len(wf.Steps))
	for _, s := range wf.Steps {
		if seen[s] {
			return fmt.Errorf("workflow %s: step %s listed twice", wf.Name, s)
		}
		seen[s] = true
	}
	return nil
}

// Run is one execution of a workflow.
type Run struct {
	ID       string
	WF       *Workflow
	State    State
	Attempts int
	Err      error
	Started  time.Time
	Finished time.Time
	Done     []string
}

// StepFunc executes one step of a run.
type StepFunc func(ctx context.Context, r *Run) error

// Auditor records the outcome of steps.
type Auditor interface {
	Record(key string, err error)
}

// LogAuditor is an Auditor writing to a logger.
type LogAuditor struct {
	Logger *log.Logger
}

// Record logs the outcome of key.
func (a LogAuditor) Record(key string, err error) {
	if err != nil {
		a.Logger.Printf("audit %s: failed: %v", key, err)
		return
	}
	a.Logger.Printf("audit %s: ok", key)
}

// Watcher is told about run state changes.
type Watcher interface {
	OnState(runID string, s State)
}

// Engine executes workflow runs. mu guards runs, steps and the run states.
type Engine struct {
	mu          sync.Mutex
	runs        map[string]*Run
	steps       map[string]StepFunc
	compensate  map[string]StepFunc
	watchers    map[string]Watcher
	journal     *Journal
	audit       Auditor
	logger      *log.Logger
	checkpoints *Checkpoints
	inputs      *container.Cache[string, []byte]
	leases      *LeaseManager
	timer       func(name string) func()
	resolve     func(id string) (*Run, error)
	workers     int
	seq         int

	runLocksMu sync.Mutex
	runLocks   map[string]*sync.Mutex
}

// NewEngine returns an engine journaling to j.
func NewEngine(j *Journal, audit Auditor, logger *log.Logger) *Engine {
	e := &Engine{
		runs:        make(map[string]*Run),
		steps:       make(map[string]StepFunc),
		compensate:  make(map[string]StepFunc),
		watchers:    make(map[string]Watcher),
		journal:     j,
		audit:       audit,
		logger:      logger,
		checkpoints: NewCheckpoints(os.TempDir()),
		leases:      NewLeaseManager(16),
		workers:     4,
		runLocks:    make(map[string]*sync.Mutex),
	}
	e.inputs = container.NewCache(10*time.Minute, os.ReadFile)
	e.resolve = e.get
	e.timer = func(name string) func() {
		start := time.Now()
		return func() { e.logger.Printf("%s took %s", name, time.Since(start)) }
	}
	return e
}

// RegisterStep registers a step and its optional compensation.
func (e *Engine) RegisterStep(name string, fn, comp StepFunc) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.steps[name] = fn
	if comp != nil {
		e.compensate[name] = comp
	}
}

// Start creates a pending run of wf.
func (e *Engine) Start(wf *Workflow) (*Run, error) {
	if err := wf.Validate(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	r := &Run{ID: fmt.Sprintf("%s-%d", wf.Name, e.seq), WF: wf, State: StatePending, Started: time.Now()}
	e.runs[r.ID] = r
	return r, nil
}

// get returns the run called id.
func (e *Engine) get(id string) (*Run, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.runs[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownRun, id)
	}
	return r, nil
}

// withRun applies fn to the run called id. The caller holds e.mu.
func (e *Engine) withRun(id string, fn func(*Run) error) error {
	r, ok := e.runs[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownRun, id)
	}
	return fn(r)
}

// setState moves r to s unless it already finished.
func (e *Engine) setState(r *Run, s State) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.State == StateDone || r.State == StateCancelled {
		return fmt.Errorf("%w: %s is %s", ErrFinished, r.ID, r.State)
	}
	r.State = s
	return nil
}

// resume requeues a failed run.
func (e *Engine) resume(r *Run) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.State != StateFailed {
		return fmt.Errorf("%w: %s is %s", ErrTransition, r.ID, r.State)
	}
	r.State = StateQueued
	r.Err = nil
	return nil
}

// Cancel cancels the run called id.
func (e *Engine) Cancel(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.withRun(id, func(r *Run) error { return e.setState(r, StateCancelled) }) // HAZ lock-reentry-under-defer
}

// Resume requeues the failed run called id.
func (e *Engine) Resume(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.withRun(id, e.resume) // HAZ lock-reentry-under-defer
}

// Retry is Resume for callers that do not hold the lock: the run is looked up
// under the lock and resumed after it is released.
func (e *Engine) Retry(id string) error {
	e.mu.Lock()
	r, ok := e.runs[id]
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownRun, id)
	}
	return e.resume(r)
}

// Execute runs every step of the run called id in order.
func (e *Engine) Execute(ctx context.Context, id string) error {
	defer e.timer("execute " + id) // HAZ defer-func-result-not-called
	r, err := e.get(id)
	if err != nil {
		return err
	}
	if err := e.setState(r, StateRunning); err != nil {
		return err
	}
	for _, name := range r.WF.Steps {
		if err := e.runStep(ctx, r, name); err != nil {
			_ = e.setState(r, StateFailed)
			return err
		}
	}
	return e.setState(r, StateDone)
}

// ExecuteStep runs a single named step of the run called id.
func (e *Engine) ExecuteStep(ctx context.Context, id, step string) error {
	defer e.timer("step " + id + "/" + step)()
	r, err := e.get(id)
	if err != nil {
		return err
	}
	return e.runStep(ctx, r, step)
}

// runStep executes one step and audits its outcome.
func (e *Engine) runStep(ctx context.Context, r *Run, name string) error {
	e.mu.Lock()
	fn, ok := e.steps[name]
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownStep, name)
	}
	var err error
	defer e.audit.Record(r.ID+"/"+name, err) // HAZ defer-eager-evaluation
	err = fn(ctx, r)
	if err == nil {
		e.mu.Lock()
		r.Done = append(r.Done, name)
		e.mu.Unlock()
	}
	return err
}

// RetryStep re-executes one step, auditing the final outcome.
func (e *Engine) RetryStep(ctx context.Context, r *Run, name string) (err error) {
	e.mu.Lock()
	fn, ok := e.steps[name]
	r.Attempts++
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownStep, name)
	}
	defer func() { e.audit.Record(r.ID+"/"+name+"/retry", err) }()
	return fn(ctx, r)
}

// Compensate undoes the completed steps of r, newest first, on the way out.
func (e *Engine) Compensate(ctx context.Context, r *Run) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	for _, name := range r.Done {
		comp, ok := e.compensate[name]
		if !ok {
			continue
		}
		next := undo
		undo = func() {
			if err := comp(ctx, r); err != nil {
				e.logger.Printf("compensate %s/%s: %v", r.ID, name, err)
			}
			next()
		}
	}
	return e.setState(r, StateCancelled)
}

// Rollback is Compensate with the undo chain read when the function returns.
func (e *Engine) Rollback(ctx context.Context, r *Run) error {
	undo := func() {}
	defer func() { undo() }()
	for _, name := range r.Done {
		comp, ok := e.compensate[name]
		if !ok {
			continue
		}
		next := undo
		undo = func() {
			if err := comp(ctx, r); err != nil {
				e.logger.Printf("rollback %s/%s: %v", r.ID, name, err)
			}
			next()
		}
	}
	return e.setState(r, StateFailed)
}

// Advance runs the next pending step of the run and checkpoints it on the
// way out.
func (e *Engine) Advance(ctx context.Context, id string) error {
	r, err := e.get(id)
	if err != nil {
		return err
	}
	defer e.checkpoints.Snapshot(r).Save() // HAZ defer-call-chain
	next := len(r.Done)
	if next >= len(r.WF.Steps) {
		return e.setState(r, StateDone)
	}
	return e.runStep(ctx, r, r.WF.Steps[next])
}

// Finish marks the run done and journals the final state.
func (e *Engine) Finish(id string) error {
	r, err := e.get(id)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if r.State != StateDone {
			return fmt.Errorf("run %s finished in state %s", r.ID, r.State)
		}
		return e.journal.Append(r.ID, Record{Kind: "finish", State: r.State, At: time.Now()})
	}()
	return e.setState(r, StateDone)
}

// Admit checks that wf is valid and that all of its steps are registered.
func (e *Engine) Admit(wf *Workflow) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			e.logger.Printf("rejected workflow %q: %v", wf.Name, err)
			err = fmt.Errorf("admit %q: %w", wf.Name, err)
		}
	}()
	err = wf.Validate()
	if err == nil {
		e.mu.Lock()
		for _, s := range wf.Steps {
			if _, ok := e.steps[s]; !ok {
				err = fmt.Errorf("%w: %s", ErrUnknownStep, s)
				break
			}
		}
		e.mu.Unlock()
	}
	return err
}

// Snapshot returns copies of all runs.
func (e *Engine) Snapshot() []Run {
	e.mu.Lock()
	out := make([]Run, 0, len(e.runs))
	for _, r := range e.runs {
		out = append(out, *r)
	}
	e.mu.Unlock()
	return out
}

// expireStale fails runs that have been running for more than a day.
func (e *Engine) expireStale(now time.Time) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.runs {
		if r.State == StateRunning && now.Sub(r.Started) > 24*time.Hour {
			r.State = StateFailed
			r.Err = errors.New("expired")
			n++
		}
	}
	return n
}

// lockRun locks the per-run mutex of id and returns its unlock function, for
// `defer e.lockRun(id)()`.
func (e *Engine) lockRun(id string) func() {
	e.runLocksMu.Lock()
	l, ok := e.runLocks[id]
	if !ok {
		l = &sync.Mutex{}
		e.runLocks[id] = l
	}
	e.runLocksMu.Unlock()
	l.Lock()
	return l.Unlock
}

// withIsolation runs fn under the isolation mode of the workflow.
func (e *Engine) withIsolation(id, mode string, fn func() error) error {
	var release func()
	switch mode {
	case "exclusive":
		release = e.lockRun(id)
	case "lease":
		l, err := e.leases.Grant(id)
		if err != nil {
			return err
		}
		release = l.Release
	}
	defer release() // HAZ defer-nil-func
	return fn()
}

// ExecuteIsolated executes the run under its workflow's isolation mode.
func (e *Engine) ExecuteIsolated(ctx context.Context, id string) error {
	r, err := e.get(id)
	if err != nil {
		return err
	}
	return e.withIsolation(id, r.WF.Isolation, func() error { return e.Execute(ctx, id) })
}

// ExecuteExclusive executes the run while holding its per-run lock.
func (e *Engine) ExecuteExclusive(ctx context.Context, id string) error {
	defer e.lockRun(id)()
	return e.Execute(ctx, id)
}

// ExecuteLeased executes the run while holding an execution lease.
func (e *Engine) ExecuteLeased(ctx context.Context, id string) error {
	lease, err := e.leases.Grant(id)
	defer lease.Release() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("lease %s: %w", id, err)
	}
	return e.Execute(ctx, id)
}

// ExecuteWithLease is ExecuteLeased with the error checked first.
func (e *Engine) ExecuteWithLease(ctx context.Context, id string) error {
	lease, err := e.leases.Grant(id)
	if err != nil {
		return fmt.Errorf("lease %s: %w", id, err)
	}
	defer lease.Release()
	return e.Execute(ctx, id)
}
