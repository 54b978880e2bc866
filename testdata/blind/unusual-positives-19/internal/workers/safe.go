package workers

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
)

// CallHook runs a user hook and turns a panicking hook into an error.
func CallHook(name string, hook func() error) (err error) {
	defer func() {
		r := recover() // HAZ recover-swallows-panic
		if e, ok := r.(error); ok {
			err = fmt.Errorf("hook %s panicked: %w", name, e)
		}
	}()
	return hook()
}

// CallHookStrict is CallHook for hooks whose panics must not be lost: error
// values become errors, anything else keeps panicking.
func CallHookStrict(name string, hook func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("hook %s panicked: %w", name, e)
				return
			}
			panic(r)
		}
	}()
	return hook()
}

// RunInline runs job on the calling goroutine and logs a panic instead of
// propagating it.
func (p *Pool) RunInline(ctx context.Context, job Job) {
	defer p.log.Printf("job %s: recovered: %v", job.ID, recover()) // HAZ recover-ineffective
	p.runOne(ctx, job)
}

// logPanic logs a recovered panic together with the stack.
func logPanic(lg *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		lg.Printf("%s: panic: %v\n%s", what, r, debug.Stack())
	}
}

// deliverResult passes res to the user callback; a panicking callback is
// logged and counted.
func (p *Pool) deliverResult(res Result) {
	defer func() {
		p.delivered.Add(1)
		logPanic(p.log, "result callback for "+res.JobID)
	}()
	p.onResult(res)
}

// ForwardResults feeds every result to the user callback until the results
// channel is closed.
func (p *Pool) ForwardResults() {
	for res := range p.results {
		p.deliverResult(res)
	}
}

// shutdownHooks runs hooks in order; the first panic is logged and stops
// the pool.
func (p *Pool) shutdownHooks(hooks []func()) {
	defer func() {
		p.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				p.log.Printf("shutdown hook panicked: %v", r)
			}
			close(p.quit)
		})
	}()
	for _, h := range hooks {
		h()
	}
}

// Shutdown stops the pool after running hooks and waits for running jobs.
func (p *Pool) Shutdown(hooks ...func()) {
	p.shutdownHooks(hooks)
	p.Stop()
	p.Wait()
}
