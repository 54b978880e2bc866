package hooks

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// Job is one post-receive run waiting in the queue.
type Job struct {
	Repo        string
	RepoDir     string
	PayloadPath string // spooled "<old> <new> <ref>" lines, removed once the hook ran
}

// Queue runs post-receive hooks asynchronously so that pushes return quickly.
type Queue struct {
	r    *Runner
	jobs chan Job
}

// NewQueue returns a queue holding at most depth pending jobs.
func NewQueue(r *Runner, depth int) *Queue {
	return &Queue{r: r, jobs: make(chan Job, depth)}
}

// Submit enqueues j; it reports false when the queue is full.
func (q *Queue) Submit(j Job) bool {
	select {
	case q.jobs <- j:
		return true
	default:
		return false
	}
}

// Start launches the workers. They stop when Close is called.
func (q *Queue) Start(ctx context.Context, workers int) {
	for range workers {
		go q.worker(ctx)
	}
}

// Close stops accepting jobs; workers finish the pending ones and exit.
func (q *Queue) Close() { close(q.jobs) }

// worker runs queued post-receive hooks until the queue is closed.
func (q *Queue) worker(ctx context.Context) {
	for job := range q.jobs {
		payload, err := os.Open(job.PayloadPath)
		if err != nil {
			q.r.logger.Printf("post-receive %s: %v", job.Repo, err)
			continue
		}
		defer payload.Close() // HAZ defer-in-infinite-loop
		out, err := q.r.Run(ctx, "post-receive", job.RepoDir, payload)
		if err != nil {
			q.r.logger.Printf("post-receive %s: %v", job.Repo, err)
		}
		if err := q.r.appendLog(job.Repo, out); err != nil {
			q.r.logger.Printf("post-receive %s: log: %v", job.Repo, err)
		}
		if err := os.Remove(job.PayloadPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			q.r.logger.Printf("post-receive %s: %v", job.Repo, err)
		}
	}
}

// Drain runs the pending jobs synchronously (used by the admin CLI and at shutdown).
func (q *Queue) Drain(ctx context.Context) int {
	n := 0
	for {
		select {
		case job, ok := <-q.jobs:
			if !ok {
				return n
			}
			q.runOne(ctx, job)
			n++
		default:
			return n
		}
	}
}

// runOne runs a single job, closing its payload before it returns.
func (q *Queue) runOne(ctx context.Context, job Job) {
	payload, err := os.Open(job.PayloadPath)
	if err != nil {
		q.r.logger.Printf("post-receive %s: %v", job.Repo, err)
		return
	}
	defer payload.Close()
	if _, err := q.r.Run(ctx, "post-receive", job.RepoDir, payload); err != nil {
		q.r.logger.Printf("post-receive %s: %v", job.Repo, err)
	}
}
