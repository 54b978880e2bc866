// Package stop provides a Stopper, which tracks the goroutines a server
// starts on its own behalf and shuts them down in a defined order: first the
// quiesce signal, then a join of every task, then the registered closers in
// reverse registration order.
package stop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
)

// ErrUnavailable is returned when a task is started on a draining stopper.
var ErrUnavailable = errors.New("stopper is draining")

// Option configures a Stopper.
type Option func(*Stopper)

// WithPanicHandler installs fn as the handler for panics raised by tasks.
// Without a handler a task panic is re-raised and crashes the process.
func WithPanicHandler(fn func(task string, v any)) Option {
	return func(s *Stopper) { s.onPanic = fn }
}

// Stopper tracks tasks and closers. The zero value is not usable; call
// NewStopper.
type Stopper struct {
	onPanic func(task string, v any) // immutable after NewStopper

	mu       sync.Mutex
	draining bool
	tasks    map[string]int
	closers  []io.Closer

	wg      sync.WaitGroup
	quiesce chan struct{}
	stopped chan struct{}
}

// NewStopper returns a running stopper.
func NewStopper(opts ...Option) *Stopper {
	s := &Stopper{
		tasks:   make(map[string]int),
		quiesce: make(chan struct{}),
		stopped: make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// RunAsyncTask starts f in a new goroutine unless the stopper is draining.
// The task is counted until f returns, and Stop waits for it.
func (s *Stopper) RunAsyncTask(ctx context.Context, name string, f func(context.Context)) error {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		return fmt.Errorf("%s: %w", name, ErrUnavailable)
	}
	s.wg.Add(1)
	s.tasks[name]++
	s.mu.Unlock()

	go func() {
		defer s.wg.Done()
		defer s.finishTask(name)
		defer s.recoverTask(name)
		f(ctx)
	}()
	return nil
}

// RunTask runs f synchronously on the caller's goroutine, accounting for it
// like an async task so that Stop waits for it to return.
func (s *Stopper) RunTask(ctx context.Context, name string, f func(context.Context)) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.draining {
		s.mu.Unlock()
		return fmt.Errorf("%s: %w", name, ErrUnavailable)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	s.wg.Add(1)
	s.tasks[name]++
	s.mu.Unlock()

	defer s.wg.Done()
	defer s.finishTask(name)
	f(ctx)
	return nil
}

// recoverTask is deferred directly by every async task. It hands a panic to
// the configured handler or re-raises it with the task name attached.
func (s *Stopper) recoverTask(name string) {
	if r := recover(); r != nil {
		if s.onPanic == nil {
			panic(fmt.Sprintf("task %s: %v", name, r))
		}
		log.Printf("stopper: task %s panicked: %v", name, r)
		s.onPanic(name, r)
	}
}

// finishTask drops the bookkeeping for one finished task.
func (s *Stopper) finishTask(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks[name]--
	if s.tasks[name] <= 0 {
		delete(s.tasks, name)
	}
}

// RunningTasks returns a copy of the running task counts by name.
func (s *Stopper) RunningTasks() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.tasks))
	for name, n := range s.tasks {
		out[name] = n
	}
	return out
}

// AddCloser registers c to be closed after all tasks have finished.
func (s *Stopper) AddCloser(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers = append(s.closers, c)
}

// ShouldQuiesce is closed when the stopper starts draining. Long-running
// tasks select on it and return.
func (s *Stopper) ShouldQuiesce() <-chan struct{} { return s.quiesce }

// IsStopped is closed once Stop has joined every task and run the closers.
func (s *Stopper) IsStopped() <-chan struct{} { return s.stopped }

// Stop signals quiescence, waits for every task to finish or ctx to expire,
// and then closes the registered closers in reverse order. A second call
// waits for the first one to complete.
func (s *Stopper) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		select {
		case <-s.stopped:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.draining = true
	closers := s.closers
	s.closers = nil
	close(s.quiesce)
	s.mu.Unlock()

	drained := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(drained)
	}()
	select {
	case <-drained:
	case <-ctx.Done():
		return fmt.Errorf("stopper: tasks still running %v: %w", s.RunningTasks(), ctx.Err())
	}

	var errs error
	for i := len(closers) - 1; i >= 0; i-- {
		errs = errors.Join(errs, closers[i].Close())
	}
	close(s.stopped)
	return errs
}

// WithCancelOnQuiesce derives a context that is canceled when the stopper
// starts draining, or when the returned cancel func is called.
func (s *Stopper) WithCancelOnQuiesce(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-s.quiesce:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
