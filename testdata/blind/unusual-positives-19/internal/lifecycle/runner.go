package lifecycle

import (
	"context"
	"fmt"
	"log"
)

// Step is one start-up step; Undo, when set, reverts it.
type Step struct {
	Name string
	Run  func(ctx context.Context) error
	Undo func()
}

// Runner runs a named sequence of steps.
type Runner struct {
	name   string
	steps  []Step
	onDone func()
	log    *log.Logger
}

// Option configures a Runner.
type Option func(*Runner)

// WithOnDone sets a callback run when Run returns.
func WithOnDone(fn func()) Option { return func(r *Runner) { r.onDone = fn } }

// WithLogger sets the logger of the runner.
func WithLogger(lg *log.Logger) Option { return func(r *Runner) { r.log = lg } }

// NewRunner returns a runner for steps.
func NewRunner(name string, steps []Step, opts ...Option) *Runner {
	r := &Runner{name: name, steps: steps, log: log.Default()}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Run executes the steps in order and stops at the first failure.
func (r *Runner) Run(ctx context.Context) error {
	defer r.onDone() // HAZ defer-nil-func
	for _, s := range r.steps {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %s: %w", r.name, s.Name, err)
		}
	}
	return nil
}

// Apply runs the steps; when one fails, the undo of the last completed
// step that has one is run.
func (r *Runner) Apply(ctx context.Context) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	for _, s := range r.steps {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %s: %w", r.name, s.Name, err)
		}
		if s.Undo != nil {
			undo = s.Undo
		}
	}
	undo = func() {}
	return nil
}

// ApplyTx runs the steps and, when one fails, undoes every completed step
// in reverse order.
func (r *Runner) ApplyTx(ctx context.Context) (err error) {
	var undos []func()
	defer func() {
		if err == nil {
			return
		}
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}()
	for _, s := range r.steps {
		if err = s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %s: %w", r.name, s.Name, err)
		}
		if s.Undo != nil {
			undos = append(undos, s.Undo)
		}
	}
	return nil
}

// RunWithHooks runs the steps and calls the onDone callback when it is set.
func (r *Runner) RunWithHooks(ctx context.Context) error {
	if r.onDone != nil {
		defer r.onDone()
	}
	for i, s := range r.steps {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %d (%s): %w", r.name, i, s.Name, err)
		}
	}
	return nil
}
