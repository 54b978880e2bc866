// Package hooks runs the operator-provided hook scripts of a release.
package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"example.com/up8/internal/spawn"
)

// Runner runs executables from Dir.
type Runner struct {
	Dir     string
	Env     []string
	Timeout time.Duration
	onDone  func()
	logger  *log.Logger
}

// Option configures a Runner.
type Option func(*Runner)

// WithOnDone sets a function called after every hook run.
func WithOnDone(fn func()) Option {
	return func(r *Runner) { r.onDone = fn }
}

// WithTimeout bounds every hook run.
func WithTimeout(d time.Duration) Option {
	return func(r *Runner) { r.Timeout = d }
}

// NewRunner returns a runner for the hooks in dir.
func NewRunner(dir string, logger *log.Logger, opts ...Option) *Runner {
	r := &Runner{Dir: dir, Timeout: time.Minute, logger: logger}
	for _, opt := range opts {
		opt(r)
	}
	return r
}

func (r *Runner) command(ctx context.Context, name string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(r.Dir, filepath.Base(name)))
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.Dir = r.Dir
	return cmd
}

// Exec runs the hook name and waits for it.
func (r *Runner) Exec(ctx context.Context, name string) error {
	defer r.onDone() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	return r.command(ctx, name).Run()
}

// ExecAll runs the named hooks in order and stops at the first failure.
func (r *Runner) ExecAll(ctx context.Context, names []string) error {
	if r.onDone != nil {
		defer r.onDone()
	}
	for _, name := range names {
		ctx, cancel := context.WithTimeout(ctx, r.Timeout)
		err := r.command(ctx, name).Run()
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// Feed runs the hook name with input written to its stdin, one item a line.
func (r *Runner) Feed(name string, input []string) error {
	cmd := r.command(context.Background(), name)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	for _, line := range input {
		if _, err := io.WriteString(stdin, line+"\n"); err != nil {
			return err
		}
	}
	return stdin.Close()
}

// Output runs the hook name with input on stdin and returns its stdout.
func (r *Runner) Output(ctx context.Context, name string, input []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	cmd := r.command(ctx, name)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		r.logger.Printf("hooks: %s: %s", name, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, err
}

// RunScript writes script to a temporary executable in Dir, runs it and
// removes it again.
func (r *Runner) RunScript(ctx context.Context, script []byte) error {
	f, err := os.CreateTemp(r.Dir, "script-*")
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(f.Name())
	}()
	if _, err := f.Write(script); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o700); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	return exec.CommandContext(ctx, f.Name()).Run()
}

// RunScriptChecked is RunScript reporting a failure to remove the script.
func (r *Runner) RunScriptChecked(ctx context.Context, script []byte) (err error) {
	f, err := os.CreateTemp(r.Dir, "script-*")
	if err != nil {
		return err
	}
	defer func() {
		if rerr := os.Remove(f.Name()); rerr != nil {
			err = errors.Join(err, fmt.Errorf("remove script: %w", rerr))
		}
	}()
	if _, err := f.Write(script); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o700); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	return exec.CommandContext(ctx, f.Name()).Run()
}

// NotifyAsync runs the hook name in the background; notification hooks are
// best effort.
func (r *Runner) NotifyAsync(name string) {
	spawn.Go(func() {
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		if err := r.Exec(context.Background(), name); err != nil {
			r.logger.Printf("hooks: notify %s: %v", name, err)
		}
	})
}

// NotifyLogged runs the hook name in the background and logs a failure or a
// panic.
func (r *Runner) NotifyLogged(name string) {
	spawn.Safe(r.logger, "hook "+name, func() {
		if err := r.ExecAll(context.Background(), []string{name}); err != nil {
			r.logger.Printf("hooks: notify %s: %v", name, err)
		}
	})
}
