package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os/exec"
	"time"

	"example.com/cirunner/internal/job"
)

// Process is a running sidecar service.
type Process struct {
	Name  string
	cmd   *exec.Cmd
	grace time.Duration
	done  chan struct{}
	err   error
}

// Start launches svc in its own process group. A reaper goroutine records
// the exit status.
func (e *Executor) Start(dir string, svc job.Service, logw io.Writer) (*Process, error) {
	if len(svc.Command) == 0 {
		return nil, fmt.Errorf("service %s: empty command", svc.Name)
	}
	cmd := exec.Command(svc.Command[0], svc.Command[1:]...)
	cmd.Dir = dir
	cmd.Env = e.Env
	cmd.Stdout = logw
	cmd.Stderr = logw
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start service %s: %w", svc.Name, err)
	}
	p := &Process{Name: svc.Name, cmd: cmd, grace: e.KillGrace, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid returns the pid of the service's process group leader.
func (p *Process) Pid() int {
	return p.cmd.Process.Pid
}

// Stop asks the service's process group to terminate. It does not wait.
func (p *Process) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	killGroup(p.cmd, p.grace)
}

// Wait blocks until the service exits or ctx is done.
func (p *Process) Wait(ctx context.Context) error {
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// StopAll stops every service and waits for them to exit. It reports the
// services that were still running when ctx expired.
func StopAll(ctx context.Context, procs []*Process) error {
	errc := make(chan error, len(procs))
	for _, p := range procs {
		p := p
		p.Stop()
		go func() {
			if err := p.Wait(ctx); err != nil && errors.Is(err, ctx.Err()) {
				errc <- fmt.Errorf("service %s did not stop: %w", p.Name, err)
				return
			}
			errc <- nil
		}()
	}
	var errs []error
	for range procs {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

func stopAll(procs []*Process) {
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].Stop()
	}
}

// WithServices starts the job's services, runs fn while they are up and
// stops them afterwards. If a service dies early, fn's context is canceled.
func (e *Executor) WithServices(ctx context.Context, dir string, specs []job.Service, logw io.Writer, fn func(context.Context) error) error {
	procs := make([]*Process, 0, len(specs))
	defer func() { stopAll(procs) }()
	for _, s := range specs {
		p, err := e.Start(dir, s, logw)
		if err != nil {
			return err
		}
		procs = append(procs, p)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	for _, p := range procs {
		go func() { // HAZ loop-var-capture
			err := p.Wait(ctx)
			if ctx.Err() == nil {
				cancel(fmt.Errorf("service %s exited early: %v", p.Name, err))
			}
		}()
		log.Printf("service %s running (pid %d)", p.Name, p.Pid())
	}
	return fn(ctx)
}
