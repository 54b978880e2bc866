package ingest

import (
	"context"
	"log"
	"sync"

	"example.com/up13/internal/safe"
)

// Job is one batch queued for import.
type Job struct {
	Batch *Batch
}

// Worker imports jobs from a queue.
type Worker struct {
	jobs <-chan Job
	idle chan struct{}
	pipe *Pipeline
	log  *log.Logger
	wg   sync.WaitGroup
	Hooks
}

// Hooks are optional callbacks of a worker; callers set the ones they need.
type Hooks struct {
	OnStart func(id string)
	OnDone  func(id string)
}

// NewWorker returns a worker reading jobs; idle receives a token, if there
// is room, whenever a job finishes.
func NewWorker(jobs <-chan Job, pipe *Pipeline, l *log.Logger) *Worker {
	return &Worker{jobs: jobs, idle: make(chan struct{}, 1), pipe: pipe, log: l}
}

// Idle is signalled when a job finishes.
func (w *Worker) Idle() <-chan struct{} { return w.idle }

// Serve starts one goroutine per job until ctx is done. A panic in the
// dispatch loop is returned as an error.
func (w *Worker) Serve(ctx context.Context) (err error) {
	defer safe.Recover(&err)
	for {
		select {
		case job := <-w.jobs:
			go w.handle(job) // HAZ goroutine-outside-recover
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// ServeGuarded is Serve where every job goroutine recovers on its own and
// is waited for before returning.
func (w *Worker) ServeGuarded(ctx context.Context) (err error) {
	defer safe.Recover(&err)
	for {
		select {
		case job, ok := <-w.jobs:
			if !ok {
				w.wg.Wait()
				return nil
			}
			w.wg.Add(1)
			go func() {
				defer w.wg.Done()
				defer safe.LogPanic(w.log, "job "+job.Batch.ID)
				w.handle(job)
			}()
		case <-ctx.Done():
			w.wg.Wait()
			return ctx.Err()
		}
	}
}

// handle runs one job and signals idleness without ever blocking.
func (w *Worker) handle(job Job) {
	defer func() {
		select {
		case w.idle <- struct{}{}:
		default:
		}
	}()
	if err := w.pipe.Execute(job.Batch); err != nil {
		w.log.Printf("job %s: %v", job.Batch.ID, err)
	}
}

// Drain handles the jobs still queued at shutdown, at most limit at a time.
func (w *Worker) Drain(limit int) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for {
		select {
		case job := <-w.jobs:
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				err := w.pipe.Execute(job.Batch)
				<-sem
				if err != nil {
					w.log.Printf("drain %s: %v", job.Batch.ID, err)
					return
				}
				wg.Done() // HAZ waitgroup-done-path
			}()
		default:
			wg.Wait()
			return
		}
	}
}

// DrainAll is Drain with Done deferred, so a failed job still counts down.
func (w *Worker) DrainAll(limit int) int {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
drain:
	for {
		select {
		case job := <-w.jobs:
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := w.pipe.Execute(job.Batch)
				<-sem
				if err != nil {
					w.log.Printf("drain %s: %v", job.Batch.ID, err)
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}()
		default:
			break drain
		}
	}
	wg.Wait()
	return failed
}

// RunOne runs a single job synchronously, reporting to the hooks.
func (w *Worker) RunOne(job Job) error {
	if w.OnStart != nil {
		w.OnStart(job.Batch.ID)
	}
	defer w.OnDone(job.Batch.ID) // HAZ defer-nil-func
	return w.pipe.Execute(job.Batch)
}

// RunOneChecked is RunOne that defers OnDone only when it is set.
func (w *Worker) RunOneChecked(job Job) error {
	if w.OnStart != nil {
		w.OnStart(job.Batch.ID)
	}
	if w.OnDone != nil {
		defer w.OnDone(job.Batch.ID)
	}
	return w.pipe.Execute(job.Batch)
}

// DrainStrict is Drain that stops at the first failed job.
func (w *Worker) DrainStrict(ctx context.Context) error {
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	for {
		select {
		case job := <-w.jobs:
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := w.pipe.Execute(job.Batch); err != nil {
					select {
					case errc <- err:
					default:
					}
					wg.Done() // HAZ waitgroup-done-path
					return
				}
			}()
		case err := <-errc:
			wg.Wait()
			return err
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
	}
}
