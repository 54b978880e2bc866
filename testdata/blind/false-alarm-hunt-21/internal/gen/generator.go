package gen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"text/template"

	"example.com/fah21/internal/pool"
	"example.com/fah21/internal/trace"
)

// Generator turns specs into Go source files under OutDir.
type Generator struct {
	OutDir    string
	Templates *template.Template
	Backends  *Registry
	Hooks     []Hook
	Lock      bool // hold .stubgen.lock in OutDir while writing
	KeepGoing bool // continue after a failed spec
	Log       io.Writer

	report Report
}

// Result is the outcome of one spec.
type Result struct {
	Name string
	Err  error
}

// Report collects results in the order the specs finished. It is owned by a
// single goroutine.
type Report struct {
	Results []Result
}

// Record appends the outcome for name.
func (r *Report) Record(name string, err error) {
	r.Results = append(r.Results, Result{Name: name, Err: err})
}

// Failed returns the results that carry an error.
func (r *Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Err != nil {
			out = append(out, res)
		}
	}
	return out
}

// New returns a Generator writing into outDir with the templates in tmplDir.
func New(outDir, tmplDir string, log io.Writer) (*Generator, error) {
	t, err := LoadTemplates(tmplDir)
	if err != nil {
		return nil, err
	}
	return &Generator{
		OutDir:    outDir,
		Templates: t,
		Backends:  NewRegistry(),
		Log:       log,
	}, nil
}

// Results returns what the runs so far produced.
func (g *Generator) Results() []Result {
	return g.report.Results
}

// Generate renders one spec, formats it and writes it under OutDir.
func (g *Generator) Generate(sp Spec) error {
	src, err := g.render(sp)
	defer g.report.Record(sp.Out, err) // HAZ defer-eager-evaluation
	if err != nil {
		return err
	}
	src, err = formatSource(src)
	if err != nil {
		return fmt.Errorf("%s: %w", sp.Name, err)
	}
	err = writeStub(filepath.Join(g.OutDir, sp.Out), src)
	return err
}

// GenerateFormatted is Generate for callers that already rendered src; the
// outcome is recorded from a deferred closure, so it sees the final error.
func (g *Generator) GenerateFormatted(sp Spec, src []byte) (err error) {
	defer func() { g.report.Record(sp.Out, err) }()
	if src, err = formatSource(src); err != nil {
		return fmt.Errorf("%s: %w", sp.Name, err)
	}
	return writeStub(filepath.Join(g.OutDir, sp.Out), src)
}

// Run generates all specs in order, runs the hooks and writes the manifest,
// holding the output lock when g.Lock is set.
func (g *Generator) Run(specs []Spec) (err error) {
	span := trace.Start("run")
	defer func() { span.Finish(err) }()
	return g.runLocked(func() error {
		var files []string
		for _, sp := range specs {
			if sp.Skip {
				continue
			}
			if err := g.Generate(sp); err != nil {
				if !g.KeepGoing {
					return err
				}
				fmt.Fprintf(g.Log, "stubgen: %v\n", err)
				continue
			}
			files = append(files, sp.Out)
		}
		if err := RunHooksSerial(&HookContext{OutDir: g.OutDir, Files: files}, g.Hooks); err != nil {
			return err
		}
		return writeManifest(filepath.Join(g.OutDir, "MANIFEST"), g.report.Results)
	})
}

// RenderConcurrent renders specs with up to n workers and returns the
// sources by index.
func (g *Generator) RenderConcurrent(ctx context.Context, specs []Spec, n int) ([][]byte, error) {
	defer trace.Region("render-concurrent")()
	return pool.Map(ctx, specs, n, func(_ context.Context, sp Spec) ([]byte, error) {
		return g.render(sp)
	})
}

// WriteAll formats and writes sources rendered by RenderConcurrent.
func (g *Generator) WriteAll(specs []Spec, srcs [][]byte) error {
	if len(specs) != len(srcs) {
		return fmt.Errorf("write: %d specs but %d sources", len(specs), len(srcs))
	}
	var errs []error
	for i, sp := range specs {
		if err := g.GenerateFormatted(sp, srcs[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
