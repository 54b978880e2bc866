// Package runner executes build tools as subprocesses with timeouts.
package runner

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Runner runs commands in a fixed directory with a per-command timeout.
type Runner struct {
	Dir     string
	Env     []string
	Timeout time.Duration
	Stdout  io.Writer
	Stderr  io.Writer
}

// New returns a Runner for dir whose commands are killed after timeout.
func New(dir string, timeout time.Duration) *Runner {
	return &Runner{Dir: dir, Timeout: timeout, Stdout: io.Discard, Stderr: os.Stderr}
}

// command prepares cmd with the runner's directory and environment.
func (r *Runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// Run executes name with args, killing it when the timeout expires.
func (r *Runner) Run(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	cmd := r.command(ctx, name, args...)
	cmd.Stdout = r.Stdout
	cmd.Stderr = r.Stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s: timed out after %s", describe(name, args), r.Timeout)
		}
		return fmt.Errorf("%s: %w", describe(name, args), err)
	}
	return nil
}

// Output runs the command and returns its trimmed standard output.
func (r *Runner) Output(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := r.command(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w: %s", describe(name, args), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// OutputLines runs the command and returns its standard output split into
// lines. The reader goroutine's result is always received before returning.
func (r *Runner) OutputLines(ctx context.Context, name string, args ...string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	cmd := r.command(ctx, name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	linesc := make(chan []string)
	go func() {
		var lines []string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		linesc <- lines
	}()
	lines := <-linesc
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("%s: %w", describe(name, args), err)
	}
	return lines, nil
}

// RunUntil runs a long-lived tool (a file watcher, a dev server) until it
// exits on its own or ctx is cancelled.
func (r *Runner) RunUntil(ctx context.Context, name string, args ...string) error {
	cmd := r.command(ctx, name, args...)
	cmd.Stdout = r.Stdout
	cmd.Stderr = r.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error)
	go func() { done <- cmd.Wait() }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunGraceful runs the command; when ctx is cancelled it sends an interrupt,
// waits up to grace for the tool to exit, and kills it after that.
func (r *Runner) RunGraceful(ctx context.Context, grace time.Duration, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = r.Dir
	cmd.Stdout = r.Stdout
	cmd.Stderr = r.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-done:
		return ctx.Err()
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("%s: killed after %s grace period: %w", describe(name, args), grace, ctx.Err())
	}
}

// describe renders a command line for error messages.
func describe(name string, args []string) string {
	if len(args) == 0 {
		return name
	}
	return name + " " + strings.Join(args, " ")
}

// Pipe runs from | to, e.g. "git archive HEAD | tar -x -C dir". Pipelines
// can run long, so they are bounded by the caller's ctx only.
func (r *Runner) Pipe(ctx context.Context, from, to []string) error {
	src := r.command(ctx, from[0], from[1:]...)
	dst := r.command(ctx, to[0], to[1:]...)
	out, err := src.StdoutPipe()
	if err != nil {
		return err
	}
	src.Stderr = r.Stderr
	dst.Stdin = out
	dst.Stdout, dst.Stderr = r.Stdout, r.Stderr
	if err := src.Start(); err != nil {
		return err
	}
	defer src.Wait() // HAZ defer-blocking-call
	return dst.Run()
}

// Stream runs the command and sends every line it prints, on stdout or
// stderr, to lines. lines is closed when the command has exited.
func (r *Runner) Stream(ctx context.Context, lines chan<- string, name string, args ...string) error {
	defer close(lines) // HAZ defer-close-chan-with-sender
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	cmd := r.command(ctx, name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	for _, p := range []io.Reader{stdout, stderr} {
		go func() {
			sc := bufio.NewScanner(p)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
	}
	return cmd.Wait()
}
