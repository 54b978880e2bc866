package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
)

// maxOutput bounds what a one-shot invocation may print.
const maxOutput = 6 << 20

// frame is one line of the sandbox protocol, in either direction.
type frame struct {
	ID      uint64 `json:"id"`
	Payload []byte `json:"payload,omitempty"`
	Error   string `json:"error,omitempty"`
}

// ProcessSandbox is a warm child process running the function's shim.
// Requests are serialised: one in flight per process.
type ProcessSandbox struct {
	id, fn  string
	cmd     *exec.Cmd
	stdin   *os.File
	stdoutF *os.File
	stdout  *bufio.Reader

	mu     sync.Mutex
	nextID uint64

	dead    atomic.Bool
	exited  chan struct{}
	waitErr error
}

// StartProcess launches spec's command as a warm sandbox and waits for its
// ready line. The child's stderr goes to logw.
func StartProcess(ctx context.Context, id string, spec Spec, logw io.Writer) (*ProcessSandbox, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd := exec.Command(spec.Command[0], spec.Command[1:]...)
	cmd.Dir = spec.BundleDir
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Env = append(cmd.Env, "FAAS_FUNCTION="+spec.Function, "FAAS_SANDBOX_ID="+id)
	cmd.Stdin = inR
	cmd.Stdout = outW
	cmd.Stderr = logw
	if err := cmd.Start(); err != nil {
		for _, f := range []*os.File{inR, inW, outR, outW} {
			f.Close()
		}
		return nil, fmt.Errorf("sandbox %s: start: %w", id, err)
	}
	// The child holds its own copies of these ends now.
	inR.Close()
	outW.Close()

	s := &ProcessSandbox{
		id:      id,
		fn:      spec.Function,
		cmd:     cmd,
		stdin:   inW,
		stdoutF: outR,
		stdout:  bufio.NewReader(outR),
		exited:  make(chan struct{}),
	}
	go s.reap()
	if err := s.handshake(ctx); err != nil {
		s.Kill()
		return nil, err
	}
	return s, nil
}

// handshake waits for the shim's ready frame.
func (s *ProcessSandbox) handshake(ctx context.Context) error {
	ready := make(chan error, 1)
	go func() {
		line, err := s.stdout.ReadBytes('\n')
		if err == nil {
			var f frame
			err = json.Unmarshal(line, &f)
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			return fmt.Errorf("sandbox %s: handshake: %w", s.id, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("sandbox %s: handshake: %w", s.id, ctx.Err())
	}
}

// reap waits for the child and records how it ended.
func (s *ProcessSandbox) reap() {
	err := s.cmd.Wait()
	s.waitErr = err
	s.dead.Store(true)
	s.stdin.Close()
	close(s.exited)
}

// ID implements Sandbox.
func (s *ProcessSandbox) ID() string { return s.id }

// Function implements Sandbox.
func (s *ProcessSandbox) Function() string { return s.fn }

// Alive implements Sandbox.
func (s *ProcessSandbox) Alive() bool { return !s.dead.Load() }

// Kill implements Sandbox. It only signals; reap collects the exit.
func (s *ProcessSandbox) Kill() {
	if s.dead.Swap(true) {
		return
	}
	_ = s.cmd.Process.Kill()
}

// Invoke sends one request to the child and waits for its reply or ctx.
func (s *ProcessSandbox) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead.Load() {
		return nil, ErrDead
	}
	s.nextID++
	id := s.nextID
	req, err := json.Marshal(frame{ID: id, Payload: payload})
	if err != nil {
		return nil, err
	}
	if _, err := s.stdin.Write(append(req, '\n')); err != nil {
		s.Kill()
		return nil, fmt.Errorf("sandbox %s: write request: %w", s.id, err)
	}

	type reply struct {
		f   frame
		err error
	}
	got := make(chan reply, 1)
	go func() {
		var r reply
		line, err := s.stdout.ReadBytes('\n')
		if err != nil {
			r.err = err
		} else {
			r.err = json.Unmarshal(line, &r.f)
		}
		got <- r
	}()

	select {
	case r := <-got:
		if r.err != nil {
			s.Kill()
			return nil, fmt.Errorf("sandbox %s: read reply: %w", s.id, r.err)
		}
		if r.f.ID != id {
			s.Kill()
			return nil, fmt.Errorf("sandbox %s: reply %d for request %d", s.id, r.f.ID, id)
		}
		if r.f.Error != "" {
			return nil, errors.New(r.f.Error)
		}
		return r.f.Payload, nil
	case <-ctx.Done():
		// The child is mid-request and its pipe state is unknown.
		s.Kill()
		return nil, ctx.Err()
	}
}

// Drain asks the child to finish by closing its stdin and waits for it to
// exit, killing it if ctx expires first.
func (s *ProcessSandbox) Drain(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stdin.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		s.Kill()
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := s.stdoutF.Close(); err != nil {
			return fmt.Errorf("sandbox %s: close stdout: %w", s.id, err)
		}
		return nil
	}()
	select {
	case <-s.exited:
		return s.exitError()
	case <-ctx.Done():
		s.Kill()
		return ctx.Err()
	}
}

// exitError turns the recorded wait error into a sandbox error.
func (s *ProcessSandbox) exitError() error {
	if s.waitErr == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(s.waitErr, &ee) {
		return fmt.Errorf("sandbox %s: exited with status %d", s.id, ee.ExitCode())
	}
	return fmt.Errorf("sandbox %s: %w", s.id, s.waitErr)
}

// RunOnce runs spec's command for a single invocation, feeding payload on
// stdin and returning what it prints. It is the fallback when the pool is
// saturated and the function allows one-shot execution.
func RunOnce(ctx context.Context, spec Spec, payload []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, spec.Command[0], spec.Command[1:]...)
	cmd.Dir = spec.BundleDir
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Env = append(cmd.Env, "FAAS_ONESHOT=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("oneshot %s: %w", spec.Function, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if _, err := stdin.Write(payload); err != nil {
		return nil, fmt.Errorf("oneshot %s: write payload: %w", spec.Function, err)
	}
	if err := stdin.Close(); err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(stdout, maxOutput))
}

// StartFactory adapts StartProcess to a Factory, sending child stderr to
// the writer chosen per sandbox by logs.
func StartFactory(logs func(id string) io.Writer) Factory {
	return func(ctx context.Context, id string, spec Spec) (Sandbox, error) {
		sb, err := StartProcess(ctx, id, spec, logs(id))
		if err != nil {
			return nil, err
		}
		return sb, nil
	}
}
