// Package runner executes external commands for the cron wrapper: hooks,
// backup tools, notification scripts. Every child is waited for.
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
	"sync"
	"time"
)

// Result describes a finished command.
type Result struct {
	Argv     []string
	ExitCode int
	Stdout   string
	Stderr   string
	Duration time.Duration
}

// Failed reports a non-zero exit.
func (r Result) Failed() bool { return r.ExitCode != 0 }

// Run runs argv with a deadline and captures its output. The context kills
// the child on timeout; cmd.Run waits for it.
func Run(ctx context.Context, timeout time.Duration, argv ...string) (Result, error) {
	if len(argv) == 0 {
		return Result{}, errors.New("runner: empty command")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	res := Result{Argv: argv, Stdout: stdout.String(), Stderr: stderr.String(), Duration: time.Since(start)}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	return res, err
}

// RunWithTimeout starts argv and kills it if it has not finished after d.
func RunWithTimeout(argv []string, d time.Duration) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error)
	go func() {
		done <- cmd.Wait() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		_ = cmd.Process.Kill()
		return fmt.Errorf("runner: %s timed out after %s", argv[0], d)
	}
}

// RunKill is the corrected version: the result channel is buffered and the
// child is reaped after the kill.
func RunKill(argv []string, d time.Duration) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("runner: %s timed out after %s", argv[0], d)
	}
}

// Lines runs argv and calls fn for each stdout line while it runs. The
// child is waited for after the scanner drains the pipe.
func Lines(ctx context.Context, argv []string, fn func(string)) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		fn(sc.Text())
	}
	scanErr := sc.Err()
	waitErr := cmd.Wait()
	return errors.Join(scanErr, waitErr)
}

// Tee copies the child's stdout and stderr to w with a prefix. The two copy
// goroutines are joined before Wait, as os/exec requires for pipes.
func Tee(ctx context.Context, w io.Writer, prefix string, argv ...string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
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
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				mu.Lock()
				fmt.Fprintf(w, "%s%s\n", prefix, sc.Text())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return cmd.Wait()
}

// Hook runs a shell hook if the path is set and executable.
func Hook(ctx context.Context, path string, env map[string]string) error {
	if path == "" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode()&0o111 == 0 {
		return fmt.Errorf("runner: hook %s is not executable", path)
	}
	cmd := exec.CommandContext(ctx, path)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("runner: hook %s: %w: %s", path, err, strings.TrimSpace(string(out)))
	}
	return nil
}
