// Package executor runs job steps as child processes in their own process
// groups, streaming their output and enforcing timeouts.
package executor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"sync"
	"time"

	"example.com/cirunner/internal/job"
)

// Executor runs steps with a common base environment.
type Executor struct {
	Env            []string
	DefaultTimeout time.Duration
	KillGrace      time.Duration
}

// Result describes how a step ended.
type Result struct {
	Step     string
	ExitCode int
	Duration time.Duration
	Err      error
}

// New returns an Executor with the runner's defaults.
func New(env []string) *Executor {
	return &Executor{Env: env, DefaultTimeout: 30 * time.Minute, KillGrace: 10 * time.Second}
}

// Run executes step in dir and writes its combined output to out, stderr
// lines prefixed. The step's whole process group is killed on timeout.
func (e *Executor) Run(ctx context.Context, dir string, step job.Step, out io.Writer) Result {
	start := time.Now()
	res := Result{Step: step.Name}
	ctx, cancel := context.WithTimeout(ctx, step.EffectiveTimeout(e.DefaultTimeout))
	defer cancel()

	cmd := exec.Command(step.Command[0], step.Command[1:]...)
	cmd.Dir = dir
	cmd.Env = mergeEnv(e.Env, step.Env)
	setProcessGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		res.Err = err
		return res
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		res.Err = err
		return res
	}
	if err := cmd.Start(); err != nil {
		res.Err = fmt.Errorf("start %s: %w", step.Name, err)
		res.ExitCode = -1
		return res
	}
	stop := context.AfterFunc(ctx, func() { killGroup(cmd, e.KillGrace) })
	defer stop()

	sw := &syncWriter{w: out}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = pump(stdout, sw, "")
	}()
	go func() {
		defer wg.Done()
		_ = pump(stderr, sw, "[stderr] ")
	}()
	wg.Wait()

	err = cmd.Wait()
	res.Duration = time.Since(start)
	res.ExitCode = exitCode(err)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		res.Err = fmt.Errorf("step %q timed out after %s", step.Name, step.EffectiveTimeout(e.DefaultTimeout))
	} else {
		res.Err = err
	}
	return res
}

// pump copies lines from r to w with a prefix. It keeps draining r after a
// write error so that the child never blocks on a full pipe.
func pump(r io.Reader, w io.Writer, prefix string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if _, err := fmt.Fprintf(w, "%s%s\n", prefix, sc.Bytes()); err != nil {
			_, _ = io.Copy(io.Discard, r)
			return err
		}
	}
	err := sc.Err()
	_, _ = io.Copy(io.Discard, r)
	return err
}

// syncWriter serialises writes from the stdout and stderr pumps.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// mergeEnv appends extra (sorted, so runs are reproducible) to base.
func mergeEnv(base []string, extra map[string]string) []string {
	env := make([]string, 0, len(base)+len(extra))
	env = append(env, base...)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+extra[k])
	}
	return env
}
