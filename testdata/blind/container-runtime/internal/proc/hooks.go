package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// Hook is an OCI lifecycle hook: an executable that receives the container
// state as JSON on stdin.
type Hook struct {
	Path    string        `json:"path"`
	Args    []string      `json:"args,omitempty"`
	Env     []string      `json:"env,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

const defaultHookTimeout = 30 * time.Second

// RunHook runs h with the container state on stdin and fails if the hook
// exits non-zero or outlives its timeout.
func RunHook(ctx context.Context, h Hook, state []byte) error {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = defaultHookTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, h.Path, h.Args...)
	cmd.Env = h.Env
	cmd.Stdin = bytes.NewReader(state)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("hook %s: %w: %s", h.Path, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return nil
}

// RunHooks runs hooks in order and stops at the first failure.
func RunHooks(ctx context.Context, hooks []Hook, state []byte) error {
	for i, h := range hooks {
		if err := RunHook(ctx, h, state); err != nil {
			return fmt.Errorf("hook %d of %d: %w", i+1, len(hooks), err)
		}
	}
	return nil
}

// RunPoststopHooks runs every poststop hook, each bounded by its own
// timeout. Failures are collected rather than fatal: the container is
// already gone and every hook deserves its chance to clean up.
func RunPoststopHooks(ctx context.Context, hooks []Hook, state []byte) error {
	var errs []error
	for _, h := range hooks {
		timeout := h.Timeout
		if timeout <= 0 {
			timeout = defaultHookTimeout
		}
		hctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel() // HAZ defer-in-loop
		cmd := exec.CommandContext(hctx, h.Path, h.Args...)
		cmd.Env = h.Env
		cmd.Stdin = bytes.NewReader(state)
		if err := cmd.Run(); err != nil {
			errs = append(errs, fmt.Errorf("poststop hook %s: %w", h.Path, err))
		}
	}
	return errors.Join(errs...)
}

// StreamToHook starts h and streams the state into its stdin. Used for the
// poststop hooks, which may receive a large final state document.
func StreamToHook(h Hook, state io.Reader) error {
	cmd := exec.Command(h.Path, h.Args...)
	cmd.Env = h.Env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start hook %s: %w", h.Path, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if _, err := io.Copy(stdin, state); err != nil {
		return fmt.Errorf("feed hook %s: %w", h.Path, err)
	}
	return stdin.Close()
}

// runTimeout runs an already configured command and kills it after d.
func runTimeout(cmd *exec.Cmd, d time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error)
	go func() { done <- cmd.Wait() }() // HAZ goroutine-blocked-send
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		cmd.Process.Kill()
		return fmt.Errorf("%s: %w", cmd.Path, ErrTimeout)
	}
}

// RunCheck runs a health-check command inside the container's namespaces
// via nsenter, bounded by d.
func RunCheck(pid int, argv []string, d time.Duration) error {
	args := append([]string{"-t", fmt.Sprint(pid), "-m", "-u", "-i", "-n", "-p", "--"}, argv...)
	return runTimeout(exec.Command("nsenter", args...), d)
}

// waitBounded waits for an already started command for at most d and then
// kills it. The result channel has room for the single send, so the waiter
// goroutine finishes even when nobody reads the result any more.
func waitBounded(cmd *exec.Cmd, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		cmd.Process.Kill()
		return ErrTimeout
	}
}

// RunProbe runs a probe command on the host side and bounds it with d.
func RunProbe(argv []string, d time.Duration) ([]byte, error) {
	var out bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitBounded(cmd, d); err != nil {
		// On a timeout the copy into out may still be running.
		return nil, err
	}
	return out.Bytes(), nil
}

// Capture starts cmd and returns at most limit bytes of its standard
// output. Output beyond limit is read and discarded so the child never
// blocks on a full pipe.
func Capture(cmd *exec.Cmd, limit int64) ([]byte, error) {
	out, err := cmd.StdoutPipe()
	defer out.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	data, rerr := io.ReadAll(io.LimitReader(out, limit))
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if rerr != nil {
		return data, rerr
	}
	return data, werr
}
