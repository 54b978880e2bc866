// Package execx runs the external tools a generator depends on (git, gofmt,
// protoc, sort) and wires them into pipelines.
package execx

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// Output runs name with args in dir and returns its stdout; a failure
// carries the command's stderr.
func Output(ctx context.Context, dir, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// Pipe runs src | dst and returns dst's stdout. Both commands are always
// waited for.
func Pipe(src, dst *exec.Cmd) ([]byte, error) {
	r, err := src.StdoutPipe()
	if err != nil {
		return nil, err
	}
	dst.Stdin = r
	var out bytes.Buffer
	dst.Stdout = &out
	if err := src.Start(); err != nil {
		return nil, err
	}
	if err := dst.Start(); err != nil {
		_ = src.Process.Kill()
		_ = src.Wait()
		return nil, err
	}
	derr := dst.Wait()
	serr := src.Wait()
	if err := errors.Join(serr, derr); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// StreamLines runs cmd and calls fn for every line of its stdout as it
// arrives. If fn fails the command is killed; it is waited for either way.
func StreamLines(cmd *exec.Cmd, fn func(string) error) error {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	var ferr error
	for sc.Scan() {
		if ferr = fn(sc.Text()); ferr != nil {
			break
		}
	}
	if ferr != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return ferr
	}
	serr := sc.Err()
	return errors.Join(serr, cmd.Wait())
}

// Describe returns `git describe --tags --dirty --always` for dir, or
// "devel" when dir is not a repository or git is slow.
func Describe(ctx context.Context, dir string) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	out, err := Output(ctx, dir, "git", "describe", "--tags", "--dirty", "--always")
	if err != nil {
		return "devel"
	}
	return strings.TrimSpace(string(out))
}

// LineCount runs cmd and counts the lines it prints without buffering the
// whole output.
func LineCount(cmd *exec.Cmd) (int, error) {
	stdout, err := cmd.StdoutPipe()
	defer stdout.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n := 0
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		n++
	}
	serr := sc.Err()
	return n, errors.Join(serr, cmd.Wait())
}

// ByteCount runs cmd and returns the size of its output; the pipe is only
// used once StdoutPipe succeeded.
func ByteCount(cmd *exec.Cmd) (int64, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n, cerr := io.Copy(io.Discard, stdout)
	return n, errors.Join(cerr, cmd.Wait())
}
