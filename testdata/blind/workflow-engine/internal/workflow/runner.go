package workflow

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"example.com/wfengine/internal/history"
	"example.com/wfengine/internal/lease"
)

// slotPool bounds concurrency with a buffered channel of slot numbers.
type slotPool struct{ slots chan int }

func newSlotPool(n int) *slotPool {
	p := &slotPool{slots: make(chan int, n)}
	for i := range n {
		p.slots <- i
	}
	return p
}

func (p *slotPool) acquire(ctx context.Context) (int, error) {
	select {
	case s := <-p.slots:
		return s, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (p *slotPool) release(slot int) {
	select {
	case p.slots <- slot:
	default:
		panic(fmt.Sprintf("workflow: slot %d released twice", slot))
	}
}

// Runner drives workflow executions and keeps their state in memory.
type Runner struct {
	reg     *Registry
	hist    *history.Log
	leases  *lease.Table
	metrics *Metrics
	log     *log.Logger
	pool    *slotPool
	serial  *slotPool

	mu    sync.Mutex
	execs map[string]*Execution
}

// NewRunner returns a runner that allows poolSize pooled decisions at once.
func NewRunner(reg *Registry, hist *history.Log, leases *lease.Table, logger *log.Logger, poolSize int) *Runner {
	return &Runner{
		reg:     reg,
		hist:    hist,
		leases:  leases,
		metrics: NewMetrics(),
		log:     logger,
		pool:    newSlotPool(poolSize),
		serial:  newSlotPool(1),
		execs:   make(map[string]*Execution),
	}
}

// record appends an event for id and folds it into the in-memory state.
func (r *Runner) record(id string, kind history.EventKind, payload []byte) error {
	ev := history.Event{WorkflowID: id, Kind: kind, Time: time.Now().UTC(), Payload: payload}
	seqs, err := r.hist.Append(ev)
	if err != nil {
		return err
	}
	ev.Seq = seqs[0]
	r.mu.Lock()
	defer r.mu.Unlock()
	ex, ok := r.execs[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownExecution, id)
	}
	return ex.Apply(ev)
}

func (r *Runner) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.execs, id)
}

// Start creates a new execution of the named workflow.
func (r *Runner) Start(ctx context.Context, name, id string, input []byte) (err error) {
	defer r.metrics.Outcome("start", err) // HAZ defer-eager-evaluation
	def, ok := r.reg.Get(name)
	if !ok {
		return fmt.Errorf("workflow: unknown definition %q", name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	_, exists := r.execs[id]
	if !exists {
		r.execs[id] = &Execution{ID: id}
	}
	r.mu.Unlock()
	if exists {
		return fmt.Errorf("workflow: execution %s already exists", id)
	}
	payload, err := json.Marshal(startedPayload{Workflow: def.Name, Input: input})
	if err != nil {
		r.forget(id)
		return err
	}
	if err = r.record(id, history.WorkflowStarted, payload); err != nil {
		r.forget(id)
		return err
	}
	return nil
}

// Complete closes an execution with its result.
func (r *Runner) Complete(ctx context.Context, id string, result []byte) error {
	start := time.Now()
	defer r.metrics.Span("complete", start, time.Now()) // HAZ defer-eager-evaluation
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(result) > 0 && !json.Valid(result) {
		return fmt.Errorf("workflow: %s: result is not valid JSON", id)
	}
	return r.record(id, history.WorkflowCompleted, result)
}

// Cancel closes an execution as canceled. It takes the execution's lease so
// that no decision runs concurrently with the cancellation.
func (r *Runner) Cancel(ctx context.Context, id, reason string) error {
	l, err := r.leases.Grant("wf/"+id, "runner", 30*time.Second)
	if err != nil {
		return fmt.Errorf("workflow: cancel %s: %w", id, err)
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := r.leases.Release(l.TaskID, l.Token); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err = ctx.Err(); err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]string{"reason": reason})
	if err != nil {
		return err
	}
	err = r.record(id, history.WorkflowCanceled, payload)
	return err
}

// Terminate force-closes an execution without taking its lease; the admin
// API uses it for executions whose lease holder is gone.
func (r *Runner) Terminate(id, reason string) error {
	payload, err := json.Marshal(map[string]string{"reason": reason, "by": "admin"})
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("workflow: terminate %s: %w", id, err)
		}
	}()
	err = r.record(id, history.WorkflowCanceled, payload)
	return err
}

// Signal delivers an external signal to a running execution.
func (r *Runner) Signal(ctx context.Context, id, name string, payload json.RawMessage) (err error) {
	start := time.Now()
	defer func() { r.metrics.Observe("signal", time.Since(start)) }()
	l, err := r.leases.Grant("wf/"+id, "runner", 30*time.Second)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := r.leases.Release(l.TaskID, l.Token); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"signal": name, "payload": payload})
	if err != nil {
		return err
	}
	return r.record(id, history.SignalReceived, body)
}

// Describe returns a copy of the execution's state.
func (r *Runner) Describe(id string) (Execution, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ex, ok := r.execs[id]
	if !ok {
		return Execution{}, false
	}
	return *ex, true
}

// withIsolation runs fn under the concurrency limit of def.
func (r *Runner) withIsolation(ctx context.Context, def Definition, fn func(context.Context) error) error {
	var release func()
	switch def.Isolation {
	case IsolationPooled:
		slot, err := r.pool.acquire(ctx)
		if err != nil {
			return err
		}
		release = func() { r.pool.release(slot) }
	case IsolationSerialized:
		slot, err := r.serial.acquire(ctx)
		if err != nil {
			return err
		}
		release = func() { r.serial.release(slot) }
	}
	defer release() // HAZ defer-nil-func
	if def.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, def.Timeout)
		defer cancel()
	}
	return fn(ctx)
}

// Decider is user code that decides the next step of an execution.
type Decider func(ctx context.Context, def Definition, ex Execution) error

// RunStep runs one decision for id. A panic in the decider fails the step
// instead of the process.
func (r *Runner) RunStep(ctx context.Context, id string, decide Decider) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Printf("workflow: %s: decider panicked: %v\n%s", id, p, debug.Stack())
			err = fmt.Errorf("workflow %s: decider panicked: %v", id, p)
		}
	}()
	ex, ok := r.Describe(id)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownExecution, id)
	}
	if ex.IsClosed() {
		return nil
	}
	def := r.reg.MustGet(ex.Workflow)
	return r.withIsolation(ctx, def, func(ctx context.Context) error {
		return decide(ctx, def, ex)
	})
}

// tryDecide runs a speculative decision ahead of schedule. If it fails in
// any way the regular decision on the next tick will redo the work.
func (r *Runner) tryDecide(ctx context.Context, id string, decide Decider) bool {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	ex, ok := r.Describe(id)
	if !ok || ex.IsClosed() {
		return false
	}
	def, ok := r.reg.Get(ex.Workflow)
	if !ok {
		return false
	}
	return decide(ctx, def, ex) == nil
}

// Prefetch speculatively decides the given executions.
func (r *Runner) Prefetch(ctx context.Context, ids []string, decide Decider) int {
	n := 0
	for _, id := range ids {
		if r.tryDecide(ctx, id, decide) {
			n++
		}
	}
	return n
}

// RunAll runs one decision for each of ids concurrently. A panic while
// fanning out fails the call instead of the process.
func (r *Runner) RunAll(ctx context.Context, ids []string, decide Decider) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("workflow: run all: %v", p)
		}
	}()
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			ex, ok := r.Describe(id)
			if !ok {
				errs[i] = fmt.Errorf("%w: %s", ErrUnknownExecution, id)
				return
			}
			def, ok := r.reg.Get(ex.Workflow)
			if !ok {
				errs[i] = fmt.Errorf("workflow: %s: definition %q gone", id, ex.Workflow)
				return
			}
			errs[i] = decide(ctx, def, ex)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// SaveState writes the in-memory executions to path as JSON lines; it is
// the fast-restart companion of Recover.
func (r *Runner) SaveState(path string) error {
	r.mu.Lock()
	snap := make([]Execution, 0, len(r.execs))
	for _, ex := range r.execs {
		snap = append(snap, *ex)
	}
	r.mu.Unlock()
	sort.Slice(snap, func(i, j int) bool { return snap[i].ID < snap[j].ID })

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for _, ex := range snap {
		if err := enc.Encode(ex); err != nil {
			return err
		}
	}
	return f.Sync()
}

// Recover rebuilds the in-memory state from the sealed history in dir. If
// rebuilding blows up, the runner is left empty rather than half-populated,
// and the panic continues to the caller.
func (r *Runner) Recover(dir string) (int, error) {
	var evs []history.Event
	err := history.ReplayAll(dir, func(ev history.Event) error {
		evs = append(evs, ev)
		return nil
	})
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			r.execs = make(map[string]*Execution)
			panic(p)
		}
	}()
	execs, err := Replay(evs)
	if err != nil {
		return 0, err
	}
	r.execs = execs
	return len(execs), nil
}
