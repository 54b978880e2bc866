// Package lazy manages process resources that are opened on first use and
// released exactly once, built on sync.OnceFunc/OnceValue/OnceValues.
package lazy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"
)

// Resource is an io.Closer opened lazily and closed at most once.
type Resource[T io.Closer] struct {
	open  func() (T, error)
	close func() error
	name  string
}

// New returns a Resource that calls open on first Get.
func New[T io.Closer](name string, open func() (T, error)) *Resource[T] {
	r := &Resource[T]{name: name}
	r.open = sync.OnceValues(open)
	r.close = sync.OnceValue(func() error {
		v, err := r.open()
		if err != nil {
			return nil // never opened successfully: nothing to close
		}
		return v.Close()
	})
	return r
}

// Get opens the resource if needed.
func (r *Resource[T]) Get() (T, error) { return r.open() }

// Close closes the resource once; later calls return the first result.
func (r *Resource[T]) Close() error { return r.close() }

// With opens the resource and runs fn with it.
func (r *Resource[T]) With(fn func(T) error) error {
	v, err := r.Get()
	if err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	return fn(v)
}

// Env reads an environment variable once and caches it.
func Env(name, def string) func() string {
	return sync.OnceValue(func() string {
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return def
	})
}

// Duration parses an environment variable as a duration once.
func Duration(name string, def time.Duration) func() time.Duration {
	return sync.OnceValue(func() time.Duration {
		s := os.Getenv(name)
		if s == "" {
			return def
		}
		if d, err := time.ParseDuration(s); err == nil {
			return d
		}
		if n, err := strconv.Atoi(s); err == nil {
			return time.Duration(n) * time.Second
		}
		slog.Warn("bad duration, using default", "var", name, "value", s)
		return def
	})
}

// Lease is a use of a shared resource that must be released.
type Lease struct {
	id      int
	release func()
}

// Pool hands out leases on a bounded number of slots.
type Pool struct {
	slots chan int
}

// NewPool returns a pool of n slots.
func NewPool(n int) *Pool {
	p := &Pool{slots: make(chan int, n)}
	for i := range n {
		p.slots <- i
	}
	return p
}

// Acquire waits for a free slot or for ctx to end.
func (p *Pool) Acquire(ctx context.Context) (*Lease, error) {
	select {
	case id := <-p.slots:
		l := &Lease{id: id}
		l.release = sync.OnceFunc(func() { p.slots <- id })
		return l, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// Release returns the slot; extra calls are no-ops.
func (l *Lease) Release() { l.release() }

// ID returns the slot number.
func (l *Lease) ID() int { return l.id }

// Run acquires a lease, runs fn, and releases the lease.
func (p *Pool) Run(ctx context.Context, fn func(id int) error) error {
	l, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	return fn(l.id)
}

// RunDetached acquires a lease and runs fn; the lease is released exactly
// once, by whichever of fn's own release hook and the function exit comes
// first.
func (p *Pool) RunDetached(ctx context.Context, fn func(id int, done func()) error) error {
	l, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer sync.OnceFunc(l.Release) // HAZ defer-func-result-not-called
	return fn(l.id, l.Release)
}

// RunHandoff lets fn release early; the deferred call is the same
// once-guarded function, so the slot is returned exactly once.
func (p *Pool) RunHandoff(ctx context.Context, fn func(id int, done func()) error) error {
	l, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	done := sync.OnceFunc(l.Release)
	defer done()
	return fn(l.id, done)
}

// TempFile is a scratch file removed when closed.
type TempFile struct {
	*os.File
	cleanup func() error
}

// CreateTemp creates a temp file whose Close also removes it, once.
func CreateTemp(dir, pattern string) (*TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	t := &TempFile{File: f}
	t.cleanup = sync.OnceValue(func() error {
		return errors.Join(f.Close(), os.Remove(f.Name()))
	})
	return t, nil
}

// Close closes and removes the file.
func (t *TempFile) Close() error { return t.cleanup() }

// Scratch runs fn with a temp file that is always removed afterwards, and
// reports the close error when fn succeeded.
func Scratch(dir string, fn func(*os.File) error) (err error) {
	t, err := CreateTemp(dir, "scratch-*")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, t.Close()) }()
	return fn(t.File)
}
