package sched

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// AddHook registers a completion hook.
func (s *Scheduler) AddHook(h func(Job)) { s.hooks = append(s.hooks, h) }

// runHooks runs user-supplied completion hooks; a broken hook must not take
// the scheduler down.
func (s *Scheduler) runHooks(j Job) {
	defer recover() // HAZ recover-ineffective
	for _, h := range s.hooks {
		h(j)
	}
}

func (s *Scheduler) notePanic(j Job, r any) {
	if r == nil {
		return
	}
	s.panics.Add(1)
	s.log.Error("job panicked", "job", j.ID, "panic", r)
}

// execute runs j and records a panic in the metrics.
func (s *Scheduler) execute(ctx context.Context, j Job) error {
	defer s.notePanic(j, recover()) // HAZ recover-ineffective
	err := s.runner.Run(ctx, j)
	if err == nil {
		s.runHooks(j)
	}
	return err
}

// runIsolated turns a panicking job into an error.
func (s *Scheduler) runIsolated(ctx context.Context, j Job) (err error) {
	s.inflight.Add(1)
	defer func() {
		s.inflight.Add(-1)
		convert := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("job %s panicked: %v", j.ID, r)
			}
		}
		convert()
	}()
	return s.runner.Run(ctx, j)
}

// capturePanic logs a job panic together with the stack.
func (s *Scheduler) capturePanic(j Job) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.panics.Add(1)
		s.log.Error("job panicked", "job", j.ID, "panic", r, "stack", string(debug.Stack()))
	}
}

// RunOne executes a single job for the admin "run now" button.
func (s *Scheduler) RunOne(ctx context.Context, j Job) error {
	s.inflight.Add(1)
	defer func() {
		s.inflight.Add(-1)
		s.capturePanic(j)
	}()
	return s.execute(ctx, j)
}

// safeInvoke runs fn and turns a panic into an error.
func safeInvoke(name string, fn func() error) (err error) {
	err = fn()
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("%s: panic: %v", name, r)
	}
	return err
}

// RunMaintenance runs the registered maintenance tasks one after another.
func (s *Scheduler) RunMaintenance(tasks map[string]func() error) error {
	var errs []error
	for name, task := range tasks {
		if err := safeInvoke(name, task); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// recoverJob is deferred directly by the guarded entry points.
func (s *Scheduler) recoverJob(j Job, errp *error) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		*errp = fmt.Errorf("job %s panicked: %v", j.ID, r)
		s.log.Error("job panicked", "job", j.ID, "panic", r, "stack", string(debug.Stack()))
	}
}

// RunGuarded is the entry point used by the worker pool.
func (s *Scheduler) RunGuarded(ctx context.Context, j Job) (err error) {
	defer s.recoverJob(j, &err) // ok: recover is called directly by the deferred method
	return s.runner.Run(ctx, j)
}

// RunWithCleanup releases the job's resources if it panics and then lets the
// panic continue.
func (s *Scheduler) RunWithCleanup(ctx context.Context, j Job, release func()) error {
	onPanic := func() {
		if r := recover(); r != nil {
			release()
			s.log.Error("job panicked, resources released", "job", j.ID, "panic", r)
			panic(r)
		}
	}
	defer onPanic() // ok: onPanic itself is the deferred function
	return s.runner.Run(ctx, j)
}

func panicToError(r any) error {
	switch v := r.(type) {
	case nil:
		return nil
	case error:
		return fmt.Errorf("panic: %w", v)
	default:
		return fmt.Errorf("panic: %v", v)
	}
}

// RunConverted is used by the retry loop, which wants every failure as an error.
func (s *Scheduler) RunConverted(ctx context.Context, j Job) (err error) {
	defer func() {
		if perr := panicToError(recover()); perr != nil { // ok: recover called by the deferred literal
			s.panics.Add(1)
			err = fmt.Errorf("job %s: %w", j.ID, perr)
		}
	}()
	return s.runner.Run(ctx, j)
}

// catchInto is deferred directly by Protect.
func catchInto(errp *error, op string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v", op, r)
	}
}

// Protect runs fn and turns a panic into an error.
func Protect[T any](op string, fn func() (T, error)) (res T, err error) {
	defer catchInto(&err, op)
	return fn()
}
