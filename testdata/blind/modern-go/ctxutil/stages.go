// Package ctxutil runs staged work under contexts with causes.
package ctxutil

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Stage is one step of a pipeline.
type Stage func(context.Context) error

// ErrStopped is the cause used when a pipeline is stopped from outside.
var ErrStopped = errors.New("ctxutil: stopped")

// RunStages runs the stages in order and cancels their context with the
// failure as the cause.
func RunStages(parent context.Context, stages ...Stage) error {
	ctx, cancel := context.WithCancelCause(parent)
	var err error
	defer cancel(err) // HAZ defer-eager-evaluation
	for i, st := range stages {
		if err = st(ctx); err != nil {
			return fmt.Errorf("stage %d: %w", i, err)
		}
	}
	return nil
}

// Pipeline is RunStages with the cause taken at exit.
func Pipeline(parent context.Context, stages ...Stage) (err error) {
	ctx, cancel := context.WithCancelCause(parent)
	defer func() { cancel(err) }() // ok: reads err when the function returns
	for i, st := range stages {
		if err = st(ctx); err != nil {
			return fmt.Errorf("stage %d: %w", i, err)
		}
	}
	return nil
}

// Parallel runs the stages together; the first failure cancels the rest.
func Parallel(parent context.Context, stages ...Stage) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil) // ok: a constant argument
	var wg sync.WaitGroup
	for _, st := range stages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := st(ctx); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// WaitAll runs fns and reports the first error, or the context's cause.
func WaitAll(ctx context.Context, fns ...func() error) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if cause := context.Cause(ctx); cause != nil && err == nil {
			err = cause
		}
	}()
	for _, fn := range fns {
		if err = fn(); err != nil {
			break
		}
	}
	return err
}

// WaitAllCause is WaitAll with a named result, so the deferred assignment
// reaches the caller.
func WaitAllCause(ctx context.Context, fns ...func() error) (err error) {
	defer func() {
		if cause := context.Cause(ctx); cause != nil && err == nil {
			err = cause
		}
	}()
	for _, fn := range fns {
		if err = fn(); err != nil {
			break
		}
	}
	return err
}

// ReadWithContext reads from conn until ctx is done; cancellation unblocks
// the read by moving the deadline.
func ReadWithContext(ctx context.Context, conn net.Conn, buf []byte) (int, error) {
	stop := context.AfterFunc(ctx, func() {
		_ = conn.SetReadDeadline(time.Now())
	})
	defer stop() // ok: stop is a func() bool, called at exit
	n, err := conn.Read(buf)
	if ctx.Err() != nil {
		return n, context.Cause(ctx)
	}
	return n, err
}

// Span logs the start of an operation and returns the func that logs its end.
func Span(ctx context.Context, name string) func() {
	start := time.Now()
	slog.DebugContext(ctx, "begin", "span", name)
	return func() {
		slog.DebugContext(ctx, "end", "span", name, "took", time.Since(start))
	}
}

// Load runs load under a span.
func Load(ctx context.Context, load Stage) error {
	defer Span(ctx, "load") // HAZ defer-func-result-not-called
	return load(ctx)
}

// Save runs save under a span.
func Save(ctx context.Context, save Stage) error {
	defer Span(ctx, "save")() // ok: the returned func is deferred
	return save(ctx)
}

// Flush runs flush under a span ended explicitly.
func Flush(ctx context.Context, flush Stage) error {
	end := Span(ctx, "flush")
	defer end()
	return flush(ctx)
}

// WithRetry runs op up to attempts times. Each failed attempt registers a
// compensating action which is run on the way out.
func WithRetry(ctx context.Context, attempts int, op func(context.Context, int) (undo func(), err error)) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	var errs []error
	for i := range attempts {
		u, err := op(ctx, i)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if u != nil {
			prev := undo
			undo = func() { u(); prev() }
		}
	}
	return errors.Join(errs...)
}

// WithRetryUndo is WithRetry with the compensations read at exit.
func WithRetryUndo(ctx context.Context, attempts int, op func(context.Context, int) (undo func(), err error)) error {
	var undos []func()
	defer func() {
		for _, u := range undos {
			u()
		}
	}() // ok: reads the slice at exit
	var errs []error
	for i := range attempts {
		u, err := op(ctx, i)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if u != nil {
			undos = append(undos, u)
		}
	}
	return errors.Join(errs...)
}
