package genx

import (
	"fmt"
	"log/slog"
	"sync"
)

// Result carries a value or an error.
type Result[T any] struct {
	Val T
	Err error
}

// Unwrap returns the pair.
func (r Result[T]) Unwrap() (T, error) { return r.Val, r.Err }

// Try runs fn and turns a panic into an error.
func Try[T any](fn func() (T, error)) (r Result[T]) {
	defer func() {
		if p := recover(); p != nil {
			r.Err = fmt.Errorf("panic: %v", p) // ok: the panic becomes the result
		}
	}()
	v, err := fn()
	return Result[T]{Val: v, Err: err}
}

// Registry maps names to factories, safe for concurrent use.
type Registry[T any] struct {
	m sync.Map
}

// Register adds a factory.
func (r *Registry[T]) Register(name string, f func() T) {
	if _, loaded := r.m.LoadOrStore(name, f); loaded {
		panic("genx: duplicate registration " + name)
	}
}

// New builds the value registered under name.
func (r *Registry[T]) New(name string) (T, bool) {
	f, ok := r.m.Load(name)
	if !ok {
		var zero T
		return zero, false
	}
	return f.(func() T)(), true
}

// Names lists the registered names.
func (r *Registry[T]) Names() []string {
	var out []string
	r.m.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	return out
}

// Lazy computes a value once.
func Lazy[T any](name string, fn func() T) func() T {
	return sync.OnceValue(func() T {
		slog.Debug("computing", "name", name)
		return fn()
	})
}
