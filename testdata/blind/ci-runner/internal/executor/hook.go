package executor

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sync"
)

// RunHook runs a short pre- or post-job hook (cleanup scripts, notifiers)
// and gives up when ctx is done.
func (e *Executor) RunHook(ctx context.Context, dir string, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = e.Env
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("hook %s: %w", argv[0], err)
	}
	done := make(chan error)
	go func() { done <- cmd.Wait() }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		killGroup(cmd, 0)
		return fmt.Errorf("hook %s: %w", argv[0], ctx.Err())
	}
}

// RunHookBounded is RunHook for hooks whose exit status we want even after a
// timeout: it kills the group and then waits for the reaper to report.
func (e *Executor) RunHookBounded(ctx context.Context, dir string, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = e.Env
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("hook %s: %w", argv[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		killGroup(cmd, e.KillGrace)
		return fmt.Errorf("hook %s: %w", argv[0], ctx.Err())
	}
}

const maxCapture = 1 << 20

// Capture runs argv and returns what it wrote to stdout and stderr
// separately (used for `git log`, version probes and similar).
func (e *Executor) Capture(ctx context.Context, dir string, argv []string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = e.Env
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}

	var outBuf, errBuf bytes.Buffer
	var outErr, errErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, outErr = io.Copy(&outBuf, io.LimitReader(outPipe, maxCapture))
		_, _ = io.Copy(io.Discard, outPipe)
	}()
	go func() {
		_, errErr = io.Copy(&errBuf, io.LimitReader(errPipe, maxCapture))
		if errErr != nil {
			return
		}
		_, _ = io.Copy(io.Discard, errPipe)
		wg.Done() // HAZ waitgroup-done-path
	}()
	wg.Wait()

	if err := cmd.Wait(); err != nil {
		return outBuf.Bytes(), errBuf.Bytes(), err
	}
	if outErr != nil || errErr != nil {
		return outBuf.Bytes(), errBuf.Bytes(), fmt.Errorf("reading output: %v %v", outErr, errErr)
	}
	return outBuf.Bytes(), errBuf.Bytes(), nil
}
