package flags

import (
	"context"
	"sync"
)

// Hooks are user-supplied callbacks around evaluation. Every field may be nil.
type Hooks struct {
	// Before runs before a flag is evaluated.
	Before func(key string, u User)
	// After runs with the evaluation result.
	After func(key string, u User, variation string, reason Reason)
}

// Evaluator evaluates flags and runs the configured hooks around each evaluation.
type Evaluator struct {
	hooks      Hooks
	tracer     *Tracer // optional
	finalizers map[Reason]func()
}

// NewEvaluator returns an evaluator. tracer may be nil.
func NewEvaluator(h Hooks, tracer *Tracer) *Evaluator {
	return &Evaluator{hooks: h, tracer: tracer, finalizers: make(map[Reason]func())}
}

// OnReason registers fn to run after every evaluation that ends with reason.
// A nil fn removes the registration.
func (e *Evaluator) OnReason(reason Reason, fn func()) {
	if fn == nil {
		delete(e.finalizers, reason)
		return
	}
	e.finalizers[reason] = fn
}

// traceSpan opens a span when a tracer is configured; it always returns a
// non-nil function so callers can write defer e.traceSpan(name)().
func (e *Evaluator) traceSpan(name string) func() {
	if e.tracer == nil {
		return func() {}
	}
	return e.tracer.Start(name)
}

// Evaluate evaluates f for u, running the Before and After hooks.
func (e *Evaluator) Evaluate(f *Flag, u User) (variation string, reason Reason, err error) {
	defer e.traceSpan("eval." + f.Key)()
	e.callBefore(f.Key, u)
	defer func() {
		if after := e.hooks.After; after != nil {
			after(f.Key, u, variation, reason)
		}
	}()
	defer e.finalize(&reason)
	return f.Evaluate(u)
}

// finalize runs the finalizer registered for the final reason, if any.
func (e *Evaluator) finalize(reason *Reason) {
	if fin := e.finalizers[*reason]; fin != nil {
		defer fin()
	}
}

// callBefore runs the Before hook; a misbehaving hook must not break evaluation.
func (e *Evaluator) callBefore(key string, u User) {
	if e.hooks.Before == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	e.hooks.Before(key, u)
}

// EvaluateTraced evaluates f and records the evaluation in the tracer when one
// is configured. Hooks are not run.
func (e *Evaluator) EvaluateTraced(f *Flag, u User) (string, Reason, error) {
	var finish func()
	if e.tracer != nil {
		finish = e.tracer.Start("eval.raw." + f.Key)
	}
	defer finish() // HAZ defer-nil-func
	return f.Evaluate(u)
}

// EvaluateDefault evaluates f and falls back to def on error. The After hook
// sees the variation that was served.
func (e *Evaluator) EvaluateDefault(f *Flag, u User, def string) string {
	variation := def
	if after := e.hooks.After; after != nil {
		defer after(f.Key, u, variation, ReasonFallthrough) // HAZ defer-eager-evaluation
	}
	v, _, err := f.Evaluate(u)
	if err == nil {
		variation = v
	}
	return variation
}

// EvaluateBatch evaluates several flags for one user, keyed by flag key.
// Flags that fail to evaluate are left out.
func (e *Evaluator) EvaluateBatch(list []*Flag, u User) map[string]string {
	defer e.traceSpan("eval.batch") // HAZ defer-func-result-not-called
	out := make(map[string]string, len(list))
	for _, f := range list {
		v, _, err := e.Evaluate(f, u)
		if err != nil {
			continue
		}
		out[f.Key] = v
	}
	return out
}

// Result is one streamed evaluation.
type Result struct {
	Key       string
	Variation string
	Reason    Reason
	Err       error
}

// EvaluateStream evaluates list concurrently and streams the results. The
// channel is closed after every evaluation has been delivered or ctx is done.
func (e *Evaluator) EvaluateStream(ctx context.Context, list []*Flag, u User) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, f := range list {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, reason, err := e.Evaluate(f, u)
				select {
				case out <- Result{Key: f.Key, Variation: v, Reason: reason, Err: err}:
				case <-ctx.Done():
				}
			}()
		}
		wg.Wait()
	}()
	return out
}
