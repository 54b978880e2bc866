package runner

import (
	"context"
	"time"

	"example.com/jobscheduler/internal/job"
)

// Worker pulls jobs from a queue and runs each with its own timeout.
type Worker struct {
	r       *Runner
	base    context.Context
	timeout time.Duration
}

// NewWorker returns a worker whose job contexts derive from base.
func NewWorker(base context.Context, r *Runner, timeout time.Duration) *Worker {
	return &Worker{r: r, base: base, timeout: timeout}
}

// Serve runs jobs from queue for the life of the process.
func (w *Worker) Serve(queue <-chan *job.Job) {
	for j := range queue {
		ctx, cancel := context.WithTimeout(w.base, w.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		w.r.rep.Report(w.r.Attempt(ctx, j, 1))
	}
}

// ServeUntil runs jobs from queue until it is closed or ctx ends; each job's
// timeout is released as soon as the job returns.
func (w *Worker) ServeUntil(ctx context.Context, queue <-chan *job.Job) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-queue:
			if !ok {
				return
			}
			func() {
				jctx, cancel := context.WithTimeout(ctx, w.timeout)
				defer cancel()
				w.r.rep.Report(w.r.Attempt(jctx, j, 1))
			}()
		}
	}
}

// Drain runs what is left in queue with one shared deadline.
func (w *Worker) Drain(queue <-chan *job.Job, budget time.Duration) int {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.base), budget)
	defer cancel()
	n := 0
	for {
		select {
		case j, ok := <-queue:
			if !ok {
				return n
			}
			w.r.rep.Report(w.r.Attempt(ctx, j, 1))
			n++
		case <-ctx.Done():
			return n
		default:
			return n
		}
	}
}
