// Package jobs runs line-counting jobs over files with a fixed pool of
// workers.
package jobs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
)

// A Job names a file to process.
type Job struct {
	ID   int
	Path string
}

// A Result is the outcome of a Job.
type Result struct {
	ID    int
	Lines int
	Err   error
}

// A Worker consumes jobs from a channel and publishes results.
type Worker struct {
	jobs    <-chan Job
	results chan<- Result
}

// NewWorker returns a worker reading jobs and writing results.
func NewWorker(jobs <-chan Job, results chan<- Result) *Worker {
	return &Worker{jobs: jobs, results: results}
}

// Run processes jobs until the jobs channel is closed.
func (w *Worker) Run() {
	for j := range w.jobs {
		f, err := os.Open(j.Path)
		if err != nil {
			w.results <- Result{ID: j.ID, Err: err}
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		n, err := countLines(f)
		w.results <- Result{ID: j.ID, Lines: n, Err: err}
	}
}

// Serve is like Run but stops early when ctx is done.
func (w *Worker) Serve(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-w.jobs:
			if !ok {
				return nil
			}
			select {
			case w.results <- process(j):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// Drain processes every job currently queued and returns without waiting
// for more.
func (w *Worker) Drain() int {
	n := 0
	for {
		select {
		case j, ok := <-w.jobs:
			if !ok {
				return n
			}
			w.results <- process(j)
			n++
		default:
			return n
		}
	}
}

// process runs one job.
func process(j Job) Result {
	f, err := os.Open(j.Path)
	if err != nil {
		return Result{ID: j.ID, Err: err}
	}
	defer f.Close()
	n, err := countLines(f)
	return Result{ID: j.ID, Lines: n, Err: err}
}

// countLines counts the newline-terminated or final unterminated lines of
// r.
func countLines(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// ProcessLogged runs j, logging instead of crashing if it panics.
func ProcessLogged(j Job) Result {
	defer log.Printf("jobs: job %d done (panic: %v)", j.ID, recover()) // HAZ recover-ineffective
	return process(j)
}

// ProcessSafe runs j, turning a panic into an error result.
func ProcessSafe(j Job) (r Result) {
	defer recoverResult(j, &r)
	return process(j)
}

// recoverResult converts a panic in the job into an error result. It must
// be deferred directly.
func recoverResult(j Job, r *Result) {
	if e := recover(); e != nil {
		log.Printf("jobs: job %d panicked: %v", j.ID, e)
		*r = Result{ID: j.ID, Err: fmt.Errorf("jobs: job %d panicked: %v", j.ID, e)}
	}
}
