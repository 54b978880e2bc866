package sched

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// Serial runs jobs from ch one at a time until ch is closed.
func Serial(ctx context.Context, ch <-chan *Job, out chan<- Result) {
	for j := range ch {
		jctx, cancel := context.WithTimeout(ctx, j.Timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		start := time.Now()
		err := j.Run(jctx)
		out <- Result{Job: j.Name, Err: err, Attempts: 1, Started: start, Finished: time.Now()}
	}
}

// Drain runs jobs from ch one at a time until ch is closed or ctx ends.
func Drain(ctx context.Context, ch <-chan *Job, out chan<- Result) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-ch:
			if !ok {
				return
			}
			res := runOne(ctx, j)
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}
}

func runOne(ctx context.Context, j *Job) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, j.Timeout)
	defer cancel()
	err := j.Run(ctx)
	return Result{Job: j.Name, Err: err, Attempts: 1, Started: start, Finished: time.Now()}
}

// RunDetached runs fn and gives up after d even if fn ignores its context.
func RunDetached(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	errc := make(chan error)
	go func() { errc <- fn(ctx) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%w after %s", ErrTimeout, d)
	}
}

// RunBounded is RunDetached with room for the late result.
func RunBounded(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- fn(ctx) }() // ok: buffered, the send never blocks
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%w after %s", ErrTimeout, d)
	}
}

// Probe runs a job once with a short deadline, for health checks.
func Probe(j *Job, d time.Duration) error {
	defer recover() // HAZ recover-ineffective
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return j.Run(ctx)
}

// logPanic logs a job panic.
func logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("sched: job %s panicked: %v", name, r)
	}
}

// RunLogged runs j and logs a panic instead of crashing the batch.
func RunLogged(ctx context.Context, j *Job) error {
	defer func() {
		logPanic(j.Name)
	}()
	return j.Run(ctx)
}

// reportPanic logs a job panic and stores it in *err. It must be deferred directly.
func reportPanic(name string, err *error) {
	if r := recover(); r != nil {
		log.Printf("sched: job %s panicked: %v", name, r)
		*err = fmt.Errorf("sched: %s: panic: %v", name, r)
	}
}

// RunGuarded runs j and turns a panic into an error.
func RunGuarded(ctx context.Context, j *Job) (err error) {
	defer reportPanic(j.Name, &err) // ok: recover is called directly by the deferred function
	return j.Run(ctx)
}

// safeCleanup runs a cleanup func; a failing cleanup must not take the worker down.
func safeCleanup(fn func()) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	fn()
}

// CleanupAll runs every cleanup even if some of them panic.
func CleanupAll(fns []func()) {
	for _, fn := range fns {
		if fn != nil {
			safeCleanup(fn)
		}
	}
}

// cleanupLogged runs fn and logs a panic.
func cleanupLogged(name string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("sched: cleanup for %s panicked: %v", name, r)
		}
	}()
	fn()
}

// CleanupJobs runs the cleanup of every job, logging failures.
func CleanupJobs(jobs []*Job) {
	for _, j := range jobs {
		if j.Cleanup != nil {
			cleanupLogged(j.Name, j.Cleanup)
		}
	}
}

// Fanout starts up to n shards of j until ctx ends, waits for them and returns how many started.
func Fanout(ctx context.Context, j *Job, n int) (started int, err error) {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for started = 0; started < n && ctx.Err() == nil; started++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[started] = j.Run(WithShard(ctx, started))
		}()
	}
	wg.Wait()
	return started, errors.Join(errs...)
}

// FanoutN starts n shards of j and waits for them.
func FanoutN(ctx context.Context, j *Job, n int) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for shard := 0; shard < n; shard++ {
		wg.Add(1)
		go func() { // ok: shard is per-iteration at go1.22
			defer wg.Done()
			errs[shard] = j.Run(WithShard(ctx, shard))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Every runs j every interval until ctx ends, never overlapping runs.
func Every(ctx context.Context, interval time.Duration, j *Job, out chan<- Result) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			res := runOne(ctx, j)
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}
}
