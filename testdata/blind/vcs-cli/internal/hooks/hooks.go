// Package hooks runs the executables in .vcs/hooks as child processes at
// defined points (pre-commit, post-checkout, pre-receive, ...).
package hooks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// DefaultTimeout bounds a hook that does not finish on its own.
const DefaultTimeout = 2 * time.Minute

// HookError reports a hook that ran and failed.
type HookError struct {
	Name string
	Err  error
}

func (e *HookError) Error() string { return fmt.Sprintf("hook %s failed: %v", e.Name, e.Err) }

// Event asks Dispatch to run a hook.
type Event struct {
	Hook     string
	Args     []string
	Deadline time.Time
}

// Runner runs hooks from one directory.
type Runner struct {
	Dir     string
	WorkDir string
	Env     []string
	Stdout  io.Writer
	Stderr  io.Writer
	Timeout time.Duration

	logger *log.Logger
}

// New returns a runner for the hooks in dir, running them in workDir.
func New(dir, workDir string, stdout, stderr io.Writer) *Runner {
	return &Runner{
		Dir:     dir,
		WorkDir: workDir,
		Stdout:  stdout,
		Stderr:  stderr,
		Timeout: DefaultTimeout,
		logger:  log.New(stderr, "hooks: ", 0),
	}
}

func (r *Runner) timeout() time.Duration {
	if r.Timeout <= 0 {
		return DefaultTimeout
	}
	return r.Timeout
}

// Exists reports whether an executable hook called name is installed.
func (r *Runner) Exists(name string) bool {
	fi, err := os.Stat(filepath.Join(r.Dir, name))
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func (r *Runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(r.Dir, name), args...)
	cmd.Dir = r.WorkDir
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.Stdout = r.Stdout
	cmd.Stderr = r.Stderr
	return cmd
}

// Run runs the hook name if it is installed; a missing hook succeeds.
func (r *Runner) Run(ctx context.Context, name string, args ...string) error {
	if !r.Exists(name) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	if err := r.command(ctx, name, args...).Run(); err != nil {
		return &HookError{Name: name, Err: err}
	}
	return nil
}

// RunWithInput runs the hook with input on its standard input.
func (r *Runner) RunWithInput(ctx context.Context, name string, input []byte, args ...string) error {
	if !r.Exists(name) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	cmd := r.command(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(input)
	if err := cmd.Run(); err != nil {
		return &HookError{Name: name, Err: err}
	}
	return nil
}

// Stream feeds lines to the hook's standard input one at a time, the way
// pre-receive gets "<old> <new> <ref>" lines.
func (r *Runner) Stream(ctx context.Context, name string, lines []string) error {
	if !r.Exists(name) {
		return nil
	}
	cmd := r.command(ctx, name)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return &HookError{Name: name, Err: err}
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	defer stdin.Close()
	for _, line := range lines {
		if _, err := io.WriteString(stdin, line+"\n"); err != nil {
			return &HookError{Name: name, Err: err}
		}
	}
	return nil
}

// Capture runs the hook and returns its standard output, one line per
// element (used by the prepare-commit-msg and fsmonitor hooks).
func (r *Runner) Capture(ctx context.Context, name string, args ...string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	cmd := r.command(ctx, name, args...)
	cmd.Stdout = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, &HookError{Name: name, Err: err}
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	scanErr := sc.Err()
	if err := cmd.Wait(); err != nil {
		return nil, &HookError{Name: name, Err: err}
	}
	return lines, scanErr
}

// Around runs pre, then fn, then post; a failing pre hook vetoes fn.
func (r *Runner) Around(ctx context.Context, pre, post string, fn func() error) error {
	if err := r.Run(ctx, pre); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	return r.Run(ctx, post)
}

// Dispatch runs the hook of every event received until events is closed.
// Each hook gets the deadline carried by its event.
func (r *Runner) Dispatch(ctx context.Context, events <-chan Event) {
	for ev := range events {
		hctx, cancel := context.WithDeadline(ctx, ev.Deadline)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := r.Run(hctx, ev.Hook, ev.Args...); err != nil {
			r.logger.Printf("%s: %v", ev.Hook, err)
		}
	}
}

// DispatchEach is Dispatch with the per-event context released as soon as
// the hook returns.
func (r *Runner) DispatchEach(ctx context.Context, events <-chan Event) {
	for ev := range events {
		func() {
			hctx, cancel := context.WithDeadline(ctx, ev.Deadline)
			defer cancel()
			if err := r.Run(hctx, ev.Hook, ev.Args...); err != nil {
				r.logger.Printf("%s: %v", ev.Hook, err)
			}
		}()
	}
}

// Notify fires a hook whose outcome does not matter (post-update,
// post-gc). It never fails.
func (r *Runner) Notify(ctx context.Context, name string, args ...string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	if !r.Exists(name) {
		return
	}
	_ = r.Run(ctx, name, args...)
}

// RunAll runs the named hooks in order and stops at the first failure. A
// panic while preparing a hook (bad environment, nil writer) is turned into
// an error.
func (r *Runner) RunAll(ctx context.Context, names []string) (err error) {
	defer func() {
		r.handlePanic("run-all", &err)
	}()
	for _, name := range names {
		if err := r.Run(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// handlePanic converts a panic into an error for the named hook.
func (r *Runner) handlePanic(name string, err *error) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		r.logger.Printf("%s: panic: %v", name, p)
		*err = &HookError{Name: name, Err: fmt.Errorf("panic: %v", p)}
	}
}

// RunFiltered runs the hook and passes each output line through filter
// before printing it; filter is user-supplied and may panic.
func (r *Runner) RunFiltered(ctx context.Context, name string, filter func(string) string) (err error) {
	defer r.recoverHook(name, &err)
	lines, err := r.Capture(ctx, name)
	if err != nil {
		return err
	}
	for _, line := range lines {
		if _, err := fmt.Fprintln(r.Stdout, filter(line)); err != nil {
			return err
		}
	}
	return nil
}

// recoverHook is deferred directly by hook runners.
func (r *Runner) recoverHook(name string, err *error) {
	if p := recover(); p != nil {
		r.logger.Printf("%s: panic: %v", name, p)
		*err = &HookError{Name: name, Err: fmt.Errorf("panic: %v", p)}
	}
}

// List returns the installed hooks.
func (r *Runner) List() ([]string, error) {
	entries, err := os.ReadDir(r.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if r.Exists(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// RunQuiet runs a hook with its output discarded.
func (r *Runner) RunQuiet(ctx context.Context, name string, args ...string) error {
	defer recover() // HAZ recover-ineffective
	quiet := *r
	quiet.Stdout, quiet.Stderr = io.Discard, io.Discard
	return quiet.Run(ctx, name, args...)
}

// RunParallel runs independent hooks at the same time and returns the
// first failure.
func (r *Runner) RunParallel(ctx context.Context, names []string) error {
	results := make(chan error, len(names))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, name := range names {
		go func(name string) {
			results <- r.Run(ctx, name)
		}(name)
	}
	for range names {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}
