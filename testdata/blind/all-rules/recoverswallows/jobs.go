// Package jobs runs scheduled jobs and webhook callbacks.
package jobs

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// Job is a scheduled job.
type Job struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Scheduler runs jobs.
type Scheduler struct {
	panics    atomic.Int64
	lastPanic any
	errs      chan error
	logger    *slog.Logger
}

func ignorePanics() {
	recover() // HAZ recover-swallows-panic
}

func logPanics(where string) {
	if r := recover(); r != nil {
		log.Printf("%s: panic: %v", where, r)
	}
}

func logIfPanic(where string, r any) {
	if r != nil {
		log.Printf("%s: panic: %v", where, r)
	}
}

// RunOnce runs a job once and ignores whatever happens.
func (s *Scheduler) RunOnce(ctx context.Context, j Job) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	_ = j.Fn(ctx)
}

// Tick runs a job on one tick.
func (s *Scheduler) Tick(ctx context.Context, j Job) error {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	return j.Fn(ctx)
}

// Fire fires a webhook callback.
func (s *Scheduler) Fire(ctx context.Context, cb func(context.Context)) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	cb(ctx)
}

// Cleanup runs best-effort cleanup jobs.
func (s *Scheduler) Cleanup(ctx context.Context, jobs []Job) {
	defer ignorePanics()
	for _, j := range jobs {
		_ = j.Fn(ctx)
	}
}

// Retry runs a job up to n times.
func (s *Scheduler) Retry(ctx context.Context, j Job, n int) (err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			_ = r
		}
	}()
	for i := 0; i < n; i++ {
		if err = j.Fn(ctx); err == nil {
			return nil
		}
	}
	return err
}

// Spawn starts a job in the background.
func (s *Scheduler) Spawn(ctx context.Context, j Job) {
	go func() {
		defer func() {
			recover() // HAZ recover-swallows-panic
		}()
		if err := j.Fn(ctx); err != nil {
			log.Printf("job %s: %v", j.Name, err)
		}
	}()
}

// Drain runs the remaining jobs at shutdown.
func (s *Scheduler) Drain(ctx context.Context, jobs []Job) {
	defer func() {
		switch recover().(type) { // HAZ recover-swallows-panic
		case nil:
		default:
		}
	}()
	for _, j := range jobs {
		_ = j.Fn(ctx)
	}
}

// Try runs fn and returns its value, or the zero value.
func Try[T any](fn func() T) (v T) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	return fn()
}

// Notify calls a webhook.
func (s *Scheduler) Notify(url string, c *http.Client) {
	defer func() {
		if err := recover(); err != nil { // HAZ recover-swallows-panic
			// best effort: the webhook is optional
		}
	}()
	resp, err := c.Get(url)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ---- negatives ----

// RunLogged logs the panic.
func (s *Scheduler) RunLogged(ctx context.Context, j Job) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("job %s panicked: %v", j.Name, r) // ok
		}
	}()
	_ = j.Fn(ctx)
}

// RunCleanup releases resources then re-panics.
func (s *Scheduler) RunCleanup(ctx context.Context, j Job, release func()) {
	defer func() {
		if r := recover(); r != nil {
			release()
			panic(r) // ok
		}
	}()
	_ = j.Fn(ctx)
}

// RunErr converts a panic into the returned error.
func (s *Scheduler) RunErr(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, r) // ok
		}
	}()
	return j.Fn(ctx)
}

// RunReported reports panics on the error channel, or logs when it is full.
func (s *Scheduler) RunReported(ctx context.Context, j Job) {
	defer func() {
		if r := recover(); r != nil {
			select {
			case s.errs <- fmt.Errorf("job %s: %v", j.Name, r): // ok
			default:
				log.Printf("job %s panicked (error channel full): %v", j.Name, r)
			}
		}
	}()
	_ = j.Fn(ctx)
}

// RunHelper defers the logging helper.
func (s *Scheduler) RunHelper(ctx context.Context, j Job) {
	defer logPanics("job " + j.Name) // ok: the helper logs
	_ = j.Fn(ctx)
}

// RunForwarded forwards the recovered value to a logger.
func (s *Scheduler) RunForwarded(ctx context.Context, j Job) {
	defer func() { logIfPanic(j.Name, recover()) }() // ok
	_ = j.Fn(ctx)
}

// ServeHTTP runs a job for a request and answers 500 on panic.
func (s *Scheduler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.lastPanic = v
			s.panics.Add(1)
			log.Printf("job handler panic: %v", v)
			http.Error(w, "job failed", http.StatusInternalServerError) // ok
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// DidPanic reports whether fn panicked.
func DidPanic(fn func()) (panicked bool) {
	defer func() {
		panicked = recover() != nil // ok: the caller learns about the panic
	}()
	fn()
	return false
}

// RunStructured logs with slog.
func (s *Scheduler) RunStructured(ctx context.Context, j Job) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("job panicked", "job", j.Name, "panic", r, "after", time.Since(start)) // ok
		}
	}()
	_ = j.Fn(ctx)
}
