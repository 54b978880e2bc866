// Package proc spawns and tracks the processes of the runtime: container
// init processes started by the shim, and lifecycle hooks.
package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// ErrTimeout is returned when a process does not exit in time.
var ErrTimeout = errors.New("proc: timed out waiting for exit")

// Spec describes a process to start.
type Spec struct {
	ID     string
	Path   string
	Args   []string
	Env    []string
	Dir    string
	Chroot string
	Stdout io.Writer
	Stderr io.Writer
}

// Process is a started child whose stdout and stderr are pumped into the
// writers of its Spec.
type Process struct {
	ID  string
	cmd *exec.Cmd

	pumps sync.WaitGroup
	done  chan struct{}

	mu     sync.Mutex
	err    error
	exited bool
}

// Start launches spec in its own process group.
func Start(ctx context.Context, spec Spec) (*Process, error) {
	cmd := exec.CommandContext(ctx, spec.Path, spec.Args...)
	cmd.Env = spec.Env
	cmd.Dir = spec.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Chroot: spec.Chroot}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second

	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", spec.Path, err)
	}

	p := &Process{ID: spec.ID, cmd: cmd, done: make(chan struct{})}
	p.pumps.Add(2)
	go p.pump(spec.Stdout, stdout)
	go p.pump(spec.Stderr, stderr)
	go p.reap()
	return p, nil
}

func (p *Process) pump(dst io.Writer, src io.Reader) {
	defer p.pumps.Done()
	if dst == nil {
		dst = io.Discard
	}
	// The copy ends with EOF when the child and all its descendants have
	// closed their end of the pipe.
	io.Copy(dst, src)
}

// reap waits for the pumps to drain the pipes (exec.Cmd.Wait closes them)
// and then for the child itself.
func (p *Process) reap() {
	p.pumps.Wait()
	err := p.cmd.Wait()
	p.mu.Lock()
	p.err = err
	p.exited = true
	p.mu.Unlock()
	close(p.done)
}

// Pid returns the pid of the child.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the child has been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait blocks until the child exits and returns its exit error.
func (p *Process) Wait() error {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Signal delivers sig to the child unless it has already been reaped.
func (p *Process) Signal(sig os.Signal) error {
	p.mu.Lock()
	exited := p.exited
	p.mu.Unlock()
	if exited {
		return os.ErrProcessDone
	}
	return p.cmd.Process.Signal(sig)
}

// Stop asks the child to terminate and kills it after grace.
func (p *Process) Stop(grace time.Duration) error {
	if err := p.Signal(syscall.SIGTERM); err != nil {
		if errors.Is(err, os.ErrProcessDone) {
			return nil
		}
		return err
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-p.done
	return nil
}

// ExitCode converts an exit error into a shell-style exit status.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return 1
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}

// WaitAll waits for every process, giving up on each one after timeout,
// and returns the exit errors in order.
func WaitAll(ps []*Process, timeout time.Duration) []error {
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	wg.Add(len(ps))
	for i, p := range ps {
		go func() {
			defer wg.Done()
			select {
			case <-p.Done():
				errs[i] = p.Wait()
			case <-time.After(timeout):
				errs[i] = fmt.Errorf("process %s: %w", p.ID, ErrTimeout)
				wg.Done() // HAZ waitgroup-done-path
			}
		}()
	}
	wg.Wait()
	return errs
}

// StopAll stops the processes concurrently and waits for all of them.
func StopAll(ps []*Process, grace time.Duration) error {
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Stop(grace)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
