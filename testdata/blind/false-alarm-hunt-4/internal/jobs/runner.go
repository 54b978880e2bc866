// Package jobs runs user-supplied jobs in a long-lived worker process. A
// panicking job must not take the process down.
package jobs

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// Job is one unit of user code.
type Job struct {
	ID   string
	Run  func(ctx context.Context) error
	Hook func(id string)
}

// PanicError carries a recovered panic.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// logPanic is deferred directly by goroutines; it logs and keeps the
// process alive.
func logPanic(where string) {
	if r := recover(); r != nil {
		log.Printf("%s: recovered panic: %v\n%s", where, r, debug.Stack())
	}
}

// Go starts fn on its own goroutine with its own recover.
func Go(where string, fn func()) {
	go func() {
		defer logPanic(where)
		fn()
	}()
}

// Runner executes jobs.
type Runner struct {
	mu      sync.Mutex
	results map[string]error
	hooks   chan string
	wg      sync.WaitGroup
}

// NewRunner returns a runner.
func NewRunner() *Runner {
	return &Runner{results: map[string]error{}, hooks: make(chan string, 64)}
}

func (r *Runner) store(id string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results[id] = err
}

// Result returns the stored outcome of a job.
func (r *Runner) Result(id string) (error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err, ok := r.results[id]
	return err, ok
}

// Run runs j and converts a panic into an error; the hook goroutine has a
// recover of its own.
func (r *Runner) Run(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
		r.store(j.ID, err)
	}()
	if j.Hook != nil {
		go func() {
			defer logPanic("hook " + j.ID) // ok: this goroutine recovers for itself
			j.Hook(j.ID)
		}()
	}
	return j.Run(ctx)
}

// RunAsync runs j through Go, which wraps the goroutine in a recover.
func (r *Runner) RunAsync(ctx context.Context, j Job) {
	defer logPanic("runasync " + j.ID)
	r.wg.Add(1)
	Go("job "+j.ID, func() { // ok: Go recovers inside the goroutine
		defer r.wg.Done()
		r.store(j.ID, j.Run(ctx))
	})
}

// safeRun is started with go; its first statement defers the recover.
func (r *Runner) safeRun(ctx context.Context, j Job, errc chan<- error) {
	defer func() {
		if p := recover(); p != nil {
			errc <- &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	errc <- j.Run(ctx)
}

// RunAll runs every job concurrently and returns the first error.
func (r *Runner) RunAll(ctx context.Context, jobs []Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("runall: %v", p)
		}
	}()
	errc := make(chan error, len(jobs))
	for _, j := range jobs {
		go r.safeRun(ctx, j, errc) // ok: safeRun defers its own recover
	}
	for range jobs {
		if e := <-errc; e != nil && err == nil {
			err = e
		}
	}
	return err
}

// hookLoop forwards hook ids to a callback; the loop recovers per call.
func (r *Runner) hookLoop(fn func(string)) {
	defer logPanic("hookloop")
	for id := range r.hooks {
		r.callHook(fn, id)
	}
}

func (r *Runner) callHook(fn func(string), id string) {
	defer logPanic("hook " + id)
	fn(id)
}

// StartHooks starts the hook loop from a protected constructor path.
func (r *Runner) StartHooks(fn func(string)) {
	defer logPanic("starthooks")
	if fn == nil {
		panic("jobs: nil hook func")
	}
	go r.hookLoop(fn) // ok: hookLoop defers logPanic
}

// Shutdown waits for the async jobs and closes the hooks channel.
func (r *Runner) Shutdown(timeout time.Duration) bool {
	defer logPanic("shutdown")
	done := make(chan struct{})
	go func() { // ok: Wait and close of a channel only this goroutine owns cannot panic
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		close(r.hooks)
		return true
	case <-time.After(timeout):
		return false
	}
}

// Retry runs j up to n times; a panic ends the attempt, not the process.
func (r *Runner) Retry(ctx context.Context, j Job, n int) error {
	var err error
	for i := 0; i < n; i++ {
		err = r.Run(ctx, j)
		if err == nil {
			return nil
		}
	}
	return err
}

// Notify fires the job's hook on another goroutine after a protected run.
func (r *Runner) Notify(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("notify %s: %v", j.ID, p)
		}
	}()
	err = j.Run(ctx)
	go j.Hook(j.ID) // HAZ goroutine-outside-recover
	return err
}

// Recover is HTTP middleware that answers 500 on a panic.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("%s %s: panic: %v", req.Method, req.URL.Path, p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

// AccessLog logs each request from a goroutine that recovers for itself.
func AccessLog(next http.Handler, sink func(string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("accesslog: panic in handler: %v", p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		line := req.Method + " " + req.URL.String()
		go func() {
			defer func() {
				if p := recover(); p != nil {
					log.Printf("accesslog sink: %v", p)
				}
			}()
			sink(line)
		}()
		next.ServeHTTP(w, req)
	})
}

// Mirror copies each request to a shadow backend in the background.
func Mirror(next http.Handler, shadow func(*http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("mirror: panic: %v", p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		clone := req.Clone(context.Background())
		go func() { // HAZ goroutine-outside-recover
			shadow(clone)
		}()
		next.ServeHTTP(w, req)
	})
}
