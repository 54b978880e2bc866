// Package pipeline runs CI pipelines: stages of steps executed as
// processes, with logs, caches, artifacts and a worker pool.
package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/falsealarm3/internal/syncx"
	"example.com/falsealarm3/internal/trace"
)

// Step is one command.
type Step struct {
	Name      string
	Cmd       []string
	Env       []string
	Timeout   time.Duration
	AllowFail bool
}

// Stage is a set of steps that may run in parallel.
type Stage struct {
	Name     string
	Steps    []Step
	Parallel int
}

// Pipeline is an ordered list of stages.
type Pipeline struct {
	ID     string
	Stages []Stage
}

// StepResult is the outcome of one step.
type StepResult struct {
	Step     string
	ExitCode int
	Duration time.Duration
	Output   []byte
	Err      error
}

// Runner executes pipelines in a workspace.
type Runner struct {
	Workspace string
	LogDir    string

	mu      sync.Mutex
	results map[string][]StepResult
	running map[string]context.CancelFunc
}

// NewRunner returns a runner.
func NewRunner(ws, logDir string) *Runner {
	return &Runner{Workspace: ws, LogDir: logDir, results: map[string][]StepResult{}, running: map[string]context.CancelFunc{}}
}

// register records a running pipeline; it fails if the id is already running.
func (r *Runner) register(id string, cancel context.CancelFunc) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.running[id]; ok {
		return fmt.Errorf("pipeline %s already running", id)
	}
	r.running[id] = cancel
	return nil
}

func (r *Runner) unregister(id string) {
	r.mu.Lock()
	delete(r.running, id)
	r.mu.Unlock()
}

// Cancel cancels a running pipeline.
func (r *Runner) Cancel(id string) bool {
	r.mu.Lock()
	cancel, ok := r.running[id]
	r.mu.Unlock()
	if ok {
		cancel() // ok: called outside the lock
	}
	return ok
}

// record appends a step result.
func (r *Runner) record(id string, res StepResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results[id] = append(r.results[id], res)
}

// Results returns a copy of the results of a pipeline.
func (r *Runner) Results(id string) []StepResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]StepResult(nil), r.results[id]...)
}

// Run executes all stages in order; a failing stage stops the pipeline.
func (r *Runner) Run(ctx context.Context, p Pipeline) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := r.register(p.ID, cancel); err != nil {
		return err
	}
	sp := trace.Start("pipeline " + p.ID)
	defer sp.EndErr(&err) // ok: pointer to the named result

	err = r.runStages(ctx, p)
	r.unregister(p.ID)
	return err
}

func (r *Runner) runStages(ctx context.Context, p Pipeline) error {
	for _, st := range p.Stages {
		if err := r.runStage(ctx, p.ID, st); err != nil {
			return fmt.Errorf("stage %s: %w", st.Name, err)
		}
	}
	return nil
}

// runStage runs the steps of a stage with bounded parallelism; the first
// hard failure cancels the siblings.
func (r *Runner) runStage(ctx context.Context, id string, st Stage) error {
	g, ctx := syncx.WithContext(ctx)
	g.SetLimit(max(st.Parallel, 1))
	for _, step := range st.Steps {
		g.Go(func() error { // ok: step is per-iteration at go1.22
			res := r.runStep(ctx, step)
			r.record(id, res)
			if res.Err != nil && !step.AllowFail {
				return fmt.Errorf("step %s: %w", step.Name, res.Err)
			}
			return nil
		})
	}
	return g.Wait()
}

// runStep runs one step with its timeout, writing the output to a log file.
func (r *Runner) runStep(ctx context.Context, s Step) (res StepResult) {
	res.Step = s.Name
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }() // ok: evaluated at exit, assigns the named result

	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	if len(s.Cmd) == 0 {
		res.Err = errors.New("empty command")
		return res
	}
	cmd := exec.CommandContext(ctx, s.Cmd[0], s.Cmd[1:]...)
	cmd.Dir = r.Workspace
	cmd.Env = append(os.Environ(), s.Env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	res.Err = cmd.Run()
	res.Output = out.Bytes()
	var ee *exec.ExitError
	if errors.As(res.Err, &ee) {
		res.ExitCode = ee.ExitCode()
	}
	if err := r.writeLog(s.Name, res.Output); err != nil && res.Err == nil {
		res.Err = err
	}
	return res
}

// writeLog stores step output, returning the close error.
func (r *Runner) writeLog(step string, data []byte) (err error) {
	name := strings.Map(func(c rune) rune {
		if c == '/' || c == ' ' {
			return '_'
		}
		return c
	}, step)
	f, err := os.Create(filepath.Join(r.LogDir, name+".log"))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(data)
	return err
}

// TailLogs concatenates the last n bytes of every step log, newest first.
func (r *Runner) TailLogs(n int64) (string, error) {
	paths, err := filepath.Glob(filepath.Join(r.LogDir, "*.log"))
	if err != nil {
		return "", err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(paths)))
	var b strings.Builder
	for _, p := range paths {
		tail, err := tailFile(p, n) // ok: the defer is in tailFile
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "== %s ==\n%s\n", filepath.Base(p), tail)
	}
	return b.String(), nil
}

// tailFile reads the last n bytes of a file opened read-only.
func tailFile(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := st.Size() - n
	if off < 0 {
		off = 0
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// CleanWorkspace removes the workspace contents, except the cache dir.
func (r *Runner) CleanWorkspace() error {
	ents, err := os.ReadDir(r.Workspace)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Name() == ".cache" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(r.Workspace, e.Name())); err != nil { // ok: not deferred
			return err
		}
	}
	return nil
}

// WithScratch creates a scratch dir, runs fn and removes the dir, reporting
// the removal error; the removal is a plain call, not deferred.
func WithScratch(base string, fn func(dir string) error) error {
	dir, err := os.MkdirTemp(base, "scratch-")
	if err != nil {
		return err
	}
	err = fn(dir)
	if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
		err = rerr
	}
	return err
}
