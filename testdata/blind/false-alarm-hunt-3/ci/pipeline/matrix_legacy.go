//go:build go1.21

// This file keeps the matrix expansion used by the v1 pipeline format. It is
// pinned to go1.21 semantics so the old scheduler plug-in keeps compiling on
// older toolchains.

package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Axis is one matrix dimension.
type Axis struct {
	Name   string
	Values []string
}

// Expand returns the cartesian product of the axes as env lists.
func Expand(axes []Axis) [][]string {
	combos := [][]string{nil}
	for _, ax := range axes {
		var next [][]string
		for _, c := range combos {
			for _, v := range ax.Values {
				env := append(append([]string(nil), c...), ax.Name+"="+v)
				next = append(next, env)
			}
		}
		combos = next
	}
	return combos
}

// MatrixSteps turns a template step into one step per combination.
func MatrixSteps(tmpl Step, axes []Axis) []Step {
	var out []Step
	for _, env := range Expand(axes) {
		s := tmpl
		s.Env = append(append([]string(nil), tmpl.Env...), env...)
		s.Name = tmpl.Name + " [" + strings.Join(env, ",") + "]"
		out = append(out, s)
	}
	return out
}

// RunMatrix runs every combination concurrently and returns failures by name.
func (r *Runner) RunMatrix(ctx context.Context, tmpl Step, axes []Axis) map[string]error {
	steps := MatrixSteps(tmpl, axes)
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs = map[string]error{}
	)
	for _, s := range steps {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			res := r.runStep(ctx, s)
			if res.Err != nil {
				mu.Lock()
				errs[s.Name] = res.Err
				mu.Unlock()
			}
		}()
		r.record("matrix", StepResult{Step: s.Name})
	}
	wg.Wait()
	return errs
}

// RunMatrixArgs is RunMatrix with the step passed as an argument, which is
// correct under any loop semantics.
func (r *Runner) RunMatrixArgs(ctx context.Context, tmpl Step, axes []Axis) map[string]error {
	steps := MatrixSteps(tmpl, axes)
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs = map[string]error{}
	)
	for _, s := range steps {
		wg.Add(1)
		go func(s Step) { // ok: passed as an argument
			defer wg.Done()
			if res := r.runStep(ctx, s); res.Err != nil {
				mu.Lock()
				errs[s.Name] = res.Err
				mu.Unlock()
			}
		}(s)
	}
	wg.Wait()
	return errs
}

// RunMatrixCopy shadows the loop variable, which is also correct here.
func (r *Runner) RunMatrixCopy(ctx context.Context, tmpl Step, axes []Axis) []string {
	steps := MatrixSteps(tmpl, axes)
	names := make([]string, len(steps))
	var wg sync.WaitGroup
	for i, s := range steps {
		i, s := i, s // ok: per-iteration copies
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := r.runStep(ctx, s)
			names[i] = fmt.Sprintf("%s: exit %d", s.Name, res.ExitCode)
		}()
	}
	wg.Wait()
	sort.Strings(names)
	return names
}
