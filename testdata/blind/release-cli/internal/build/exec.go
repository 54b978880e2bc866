package build

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Runner runs external tools (go, git, strip, upx) with a shared environment.
type Runner struct {
	Dir    string
	Env    []string
	Stdout io.Writer
	Stderr io.Writer
	Log    *log.Logger
	DryRun bool
}

func (r *Runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.Stdout = r.Stdout
	cmd.Stderr = r.Stderr
	return cmd
}

// Run runs the command to completion.
func (r *Runner) Run(ctx context.Context, name string, args ...string) error {
	r.Log.Printf("$ %s %s", name, strings.Join(args, " "))
	if r.DryRun {
		return nil
	}
	if err := r.command(ctx, name, args...).Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// RunEnv runs the command with extra environment variables.
func (r *Runner) RunEnv(ctx context.Context, env []string, name string, args ...string) error {
	r.Log.Printf("$ %s %s %s", strings.Join(env, " "), name, strings.Join(args, " "))
	if r.DryRun {
		return nil
	}
	cmd := r.command(ctx, name, args...)
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Output runs the command and returns its trimmed standard output.
func (r *Runner) Output(ctx context.Context, name string, args ...string) (string, error) {
	cmd := r.command(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// OutputTimeout is Output bounded by timeout.
func (r *Runner) OutputTimeout(ctx context.Context, timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return r.Output(ctx, name, args...)
}

// StreamLines runs the command and hands each stdout line to fn.
func (r *Runner) StreamLines(ctx context.Context, fn func(string), name string, args ...string) error {
	cmd := r.command(ctx, name, args...)
	cmd.Stdout = nil
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call

	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fn(sc.Text())
	}
	return sc.Err()
}

// ListPackages returns the import paths of the main packages, reading the
// output of "go list" line by line and waiting for the process at the end.
func (r *Runner) ListPackages(ctx context.Context, pattern string) ([]string, error) {
	cmd := r.command(ctx, "go", "list", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}", pattern)
	cmd.Stdout = nil
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var pkgs []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			pkgs = append(pkgs, line)
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	return pkgs, sc.Err()
}

// Lines starts the command and returns its merged stdout/stderr lines.
func (r *Runner) Lines(ctx context.Context, name string, args ...string) (<-chan string, error) {
	cmd := r.command(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}

	lines := make(chan string, 64)
	defer close(lines) // HAZ defer-close-chan-with-sender
	for _, rd := range []io.Reader{stdout, stderr} {
		go func(rd io.Reader) {
			sc := bufio.NewScanner(rd)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}(rd)
	}
	return lines, nil
}
