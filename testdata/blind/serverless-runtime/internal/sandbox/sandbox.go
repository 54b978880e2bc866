// Package sandbox manages the warm execution environments that function
// invocations run in: child processes speaking a line-delimited JSON
// protocol, or in-process goroutines for built-in functions.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrDead is returned when a sandbox has exited or was killed.
	ErrDead = errors.New("sandbox: not running")
	// ErrPoolClosed is returned by a pool that is draining.
	ErrPoolClosed = errors.New("sandbox: pool closed")
	// ErrQuotaExceeded is returned when a function is at its concurrency limit.
	ErrQuotaExceeded = errors.New("sandbox: function quota exceeded")
	// ErrHandlerPanic wraps a panic raised by an in-process handler.
	ErrHandlerPanic = errors.New("sandbox: handler panicked")
)

// Sandbox is one warm execution environment bound to a single function.
type Sandbox interface {
	ID() string
	Function() string
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
	// Kill stops the sandbox without waiting for it to exit.
	Kill()
	Alive() bool
}

// Spec describes how to start a sandbox for a function.
type Spec struct {
	Function  string
	Runtime   string
	BundleDir string
	Command   []string
	Env       []string
	MemoryMB  int
}

// Validate reports whether the spec can be started at all.
func (s Spec) Validate() error {
	if s.Function == "" {
		return errors.New("sandbox: spec without function name")
	}
	if strings.ContainsAny(s.Function, "/\\ \t") {
		return fmt.Errorf("sandbox: invalid function name %q", s.Function)
	}
	if len(s.Command) == 0 || s.Command[0] == "" {
		return fmt.Errorf("sandbox: %s: empty command", s.Function)
	}
	if s.MemoryMB < 0 || s.MemoryMB > 10240 {
		return fmt.Errorf("sandbox: %s: memory %d MB out of range", s.Function, s.MemoryMB)
	}
	return nil
}

// Factory starts a new sandbox for spec.
type Factory func(ctx context.Context, id string, spec Spec) (Sandbox, error)

// SpecSource resolves a function name to its current spec.
type SpecSource func(fn string) (Spec, error)
