package nilfunc

import "context"

// StageHooks are optional callbacks; any of them may be left nil.
type StageHooks struct {
	Before func(name string)
	Finish func()
}

// withDefaults returns h with every nil hook replaced by a no-op.
func (h StageHooks) withDefaults() StageHooks {
	if h.Before == nil {
		h.Before = func(string) {}
	}
	if h.Finish == nil {
		h.Finish = func() {}
	}
	return h
}

type pipeStage struct {
	name  string
	hooks StageHooks
	run   func(context.Context) error
}

// The hooks pass through withDefaults first: Finish is never nil here.
func (s *pipeStage) runDefaulted(ctx context.Context) error {
	h := s.hooks.withDefaults()
	h.Before(s.name)
	defer h.Finish()
	return s.run(ctx)
}

// The raw hooks: Finish may be nil, and the package itself checks it in withDefaults.
func (s *pipeStage) runRaw(ctx context.Context) error {
	h := s.hooks
	defer h.Finish() // want `the package tests StageHooks\.Finish against nil .* defers h\.Finish\(\) without a check`
	return s.run(ctx)
}

// newPipeStage takes the finish hook from its caller, who may pass nil.
func newPipeStage(name string, finish func(), run func(context.Context) error) *pipeStage {
	return &pipeStage{name: name, hooks: StageHooks{Finish: finish}, run: run}
}

// finishEarly calls the finish hook when there is one.
func (s *pipeStage) finishEarly() {
	if s.hooks.Finish != nil {
		s.hooks.Finish()
	}
}

// timedRun reports each run to the finish hook; the closure exists only when the hook is set.
func timedRun(h StageHooks, run func(context.Context) error) func(context.Context) error {
	if h.Finish == nil {
		return run
	}
	return func(ctx context.Context) error {
		defer h.Finish()
		return run(ctx)
	}
}

// The same wrapper without the test: the closure defers a hook that may be nil.
func timedRunUnchecked(h StageHooks, run func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		defer h.Finish() // want `the package tests StageHooks\.Finish against nil .* defers h\.Finish\(\) without a check`
		return run(ctx)
	}
}
