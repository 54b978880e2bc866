package executor

import (
	"context"
	"io"

	"example.com/cirunner/internal/job"
)

// RunParallel runs independent steps concurrently and returns their results
// in completion order. Collection stops at the first failing step that is
// not allowed to fail.
func (e *Executor) RunParallel(ctx context.Context, dir string, steps []job.Step, out io.Writer) []Result {
	sw := &syncWriter{w: out}
	results := make(chan Result, len(steps))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i := range steps {
		go func(s job.Step) {
			results <- e.Run(ctx, dir, s, sw)
		}(steps[i])
	}

	collected := make([]Result, 0, len(steps))
	for range steps {
		r := <-results
		collected = append(collected, r)
		if r.Err != nil && !continueOnError(steps, r.Step) {
			return collected
		}
	}
	return collected
}

// RunParallelAll is RunParallel without the early exit: it always waits for
// every step, so closing the channel afterwards is safe.
func (e *Executor) RunParallelAll(ctx context.Context, dir string, steps []job.Step, out io.Writer) []Result {
	sw := &syncWriter{w: out}
	results := make(chan Result)
	defer close(results)
	for _, s := range steps {
		go func(s job.Step) {
			results <- e.Run(ctx, dir, s, sw)
		}(s)
	}
	collected := make([]Result, 0, len(steps))
	for range steps {
		collected = append(collected, <-results)
	}
	return collected
}

func continueOnError(steps []job.Step, name string) bool {
	for _, s := range steps {
		if s.Name == name {
			return s.ContinueOnError
		}
	}
	return false
}
