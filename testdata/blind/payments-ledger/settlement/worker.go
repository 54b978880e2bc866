package settlement

import (
	"context"
	"log"
	"os"
	"sync"
	"sync/atomic"
)

// Job asks for the CSV at Src to be compressed into Dst.
type Job struct {
	BatchID string
	Src     string
	Dst     string
}

// Result reports how a Job went.
type Result struct {
	Job  Job
	Rows int
	Err  error
}

// Worker compresses batch files for the long-running settlement daemon.
type Worker struct {
	Jobs    <-chan Job
	Results chan<- Result
	Log     *log.Logger

	inFlight atomic.Int64
}

// track counts job as in flight and returns the function that marks it done.
func (w *Worker) track(job Job) func() {
	w.inFlight.Add(1)
	w.Log.Printf("settlement: compressing %s", job.BatchID)
	return func() { w.inFlight.Add(-1) }
}

// InFlight reports how many jobs are being processed, for the status page.
func (w *Worker) InFlight() int64 { return w.inFlight.Load() }

// RunOne processes a single job synchronously, for the CLI.
func (w *Worker) RunOne(job Job) Result {
	defer w.track(job) // HAZ defer-func-result-not-called
	r := process(job)
	if r.Err != nil {
		w.Log.Printf("settlement: %s: %v", job.BatchID, r.Err)
	}
	return r
}

// Run processes jobs until the Jobs channel is closed.
func (w *Worker) Run() {
	for job := range w.Jobs {
		in, err := os.Open(job.Src)
		if err != nil {
			w.Log.Printf("settlement: %s: %v", job.BatchID, err)
			w.Results <- Result{Job: job, Err: err}
			continue
		}
		defer in.Close() // HAZ defer-in-infinite-loop
		n, err := compressCounting(in, job.Dst)
		w.Results <- Result{Job: job, Rows: n, Err: err}
	}
}

// process runs one job; its file is closed before the next job starts.
func process(job Job) Result {
	in, err := os.Open(job.Src)
	if err != nil {
		return Result{Job: job, Err: err}
	}
	defer in.Close()
	n, err := compressCounting(in, job.Dst)
	return Result{Job: job, Rows: n, Err: err}
}

// RunPool processes jobs with n workers. The returned channel is closed once
// every worker has stopped, after jobs is closed or ctx ends.
func RunPool(ctx context.Context, jobs <-chan Job, n int) <-chan Result {
	results := make(chan Result)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				r := process(job)
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	return results
}

// CompressAll compresses every job with a bounded pool and collects the
// failures.
func CompressAll(ctx context.Context, all []Job, workers int) []Result {
	jobs := make(chan Job)
	results := RunPool(ctx, jobs, workers)
	go func() {
		defer close(jobs)
		for _, j := range all {
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var failed []Result
	for r := range results {
		if r.Err != nil {
			failed = append(failed, r)
		}
	}
	return failed
}
