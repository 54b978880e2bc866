// Package procutil wraps os/exec for the small set of subprocess patterns
// the tools in this module use.
package procutil

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

// Output runs the command and returns its standard output. On failure the
// error includes the command's standard error.
func Output(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
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
	errc := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(stderr, 64<<10))
		errc <- b
	}()
	out, err := io.ReadAll(stdout)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	errOut := <-errc
	if err := cmd.Wait(); err != nil {
		return out, fmt.Errorf("%s: %w: %s", name, err, bytes.TrimSpace(errOut))
	}
	return out, nil
}

// OutputStderr is like Output but also returns the captured standard
// error on success.
func OutputStderr(ctx context.Context, name string, args ...string) (stdoutData, stderrData []byte, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	errc := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(stderr, 64<<10))
		errc <- b // HAZ goroutine-blocked-send
	}()
	out, err := io.ReadAll(stdout)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, nil, err
	}
	errOut := <-errc
	if err := cmd.Wait(); err != nil {
		return out, errOut, fmt.Errorf("%s: %w", name, err)
	}
	return out, errOut, nil
}

// FirstLine runs the command and returns the first line it prints.
func FirstLine(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%s: no output", name)
	}
	return sc.Text(), nil
}

// Head runs the command and returns at most n lines of its output. The
// command is killed once n lines have been read, since nobody will drain
// the rest of its output.
func Head(ctx context.Context, n int, name string, args ...string) ([]string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines, err := readLines(stdout, n)
	if err != nil || len(lines) == n {
		// We stopped reading before EOF: kill the command so that Wait
		// does not block behind a full pipe.
		cmd.Process.Kill()
		cmd.Wait()
		return lines, err
	}
	return lines, cmd.Wait()
}

// readLines reads up to n lines from r.
func readLines(r io.Reader, n int) ([]string, error) {
	var lines []string
	sc := bufio.NewScanner(r)
	for len(lines) < n && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// Version returns the first line printed by "bin --version".
func Version(ctx context.Context, bin string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", bin, err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line), nil
}

// Run runs the command in dir and returns an error that carries its
// combined output when it fails.
func Run(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// Pipe runs src | dst and returns the first error of either command.
func Pipe(src, dst *exec.Cmd) error {
	r, err := src.StdoutPipe()
	if err != nil {
		return err
	}
	dst.Stdin = r
	if err := src.Start(); err != nil {
		return err
	}
	if err := dst.Start(); err != nil {
		src.Process.Kill()
		src.Wait()
		return err
	}
	dstErr := dst.Wait()
	srcErr := src.Wait()
	return errors.Join(srcErr, dstErr)
}

// RunScript runs script with /bin/sh and returns its combined output.
func RunScript(ctx context.Context, script string) ([]byte, error) {
	f, err := os.CreateTemp("", "script-*.sh")
	defer os.Remove(f.Name()) // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return exec.CommandContext(ctx, "/bin/sh", f.Name()).CombinedOutput()
}

// RunScriptIn is RunScript with the script file created in dir and the
// command run there.
func RunScriptIn(ctx context.Context, dir, script string) ([]byte, error) {
	f, err := os.CreateTemp(dir, "script-*.sh")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", f.Name())
	cmd.Dir = dir
	return cmd.CombinedOutput()
}
