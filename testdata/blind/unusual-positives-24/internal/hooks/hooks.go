// Package hooks runs build-style stages. Stages, pipelines and runs keep
// their setup and teardown callbacks as closures stored in struct fields.
package hooks

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

// Stage is one named step of a pipeline.
type Stage struct {
	Name     string
	Run      func() error
	Teardown func()
}

// hookSet collects the callbacks a single run registers for itself.
type hookSet struct {
	before func() error
	after  func()
}

// tracer opens named spans; span returns the function that ends the span.
type tracer struct {
	span func(name string) func()
}

func newTracer(logf func(string, ...any)) *tracer {
	return &tracer{span: func(name string) func() {
		start := time.Now()
		logf("begin %s", name)
		return func() { logf("end %s after %s", name, time.Since(start)) }
	}}
}

// Pipeline runs stages in order inside a work directory.
type Pipeline struct {
	workDir string
	logf    func(format string, args ...any)
	stats   map[string]time.Duration
	trace   *tracer
	release func()

	// teardowns holds the cleanup for each artefact kind the pipeline knows.
	teardowns map[string]func()
}

// NewPipeline returns a pipeline rooted at workDir.
func NewPipeline(workDir string) *Pipeline {
	p := &Pipeline{
		workDir: workDir,
		logf:    log.Printf,
		stats:   make(map[string]time.Duration),
	}
	p.trace = newTracer(p.logf)
	p.release = func() { p.logf("pipeline %s released", p.workDir) }
	p.teardowns = map[string]func(){
		"tmp":   func() { _ = os.Remove(filepath.Join(p.workDir, "tmp")) },
		"cache": func() { p.logf("pipeline %s: cache dropped", p.workDir) },
	}
	return p
}

// RunStage runs one stage, giving it a private scratch directory when asked.
func (p *Pipeline) RunStage(s Stage, scratch bool) error {
	var h hookSet
	if scratch {
		dir, err := os.MkdirTemp(p.workDir, s.Name+"-")
		if err != nil {
			return err
		}
		h.before = func() error { return os.Chmod(dir, 0o700) }
		h.after = func() { _ = os.Remove(dir) }
	}
	defer h.after() // HAZ defer-nil-func
	if h.before != nil {
		if err := h.before(); err != nil {
			return err
		}
	}
	return s.Run()
}

// RunScratch is RunStage with the after hook guarded: stages without scratch
// space register nothing.
func (p *Pipeline) RunScratch(s Stage, scratch bool) error {
	var h hookSet
	if scratch {
		dir, err := os.MkdirTemp(p.workDir, s.Name+"-")
		if err != nil {
			return err
		}
		h.before = func() error { return os.Chmod(dir, 0o700) }
		h.after = func() { _ = os.Remove(dir) }
	}
	if h.after != nil {
		defer h.after()
	}
	if h.before != nil {
		if err := h.before(); err != nil {
			return err
		}
	}
	return s.Run()
}

// RunAll runs every stage and stops at the first failure.
func (p *Pipeline) RunAll(stages []Stage) error {
	for _, s := range stages {
		if err := p.runTimed(s); err != nil {
			return fmt.Errorf("stage %s: %w", s.Name, err)
		}
	}
	return nil
}

func (p *Pipeline) runTimed(s Stage) error {
	if s.Teardown != nil {
		defer s.Teardown()
	}
	defer p.trace.span("stage " + s.Name)()
	start := time.Now()
	err := s.Run()
	p.stats[s.Name] = time.Since(start)
	return err
}

// Prepare takes the stage's lock file, runs the stage, and means to remove
// the lock file when it is done.
func (p *Pipeline) Prepare(s Stage) error {
	var h hookSet
	h.after = func() {}
	defer h.after() // HAZ defer-eager-evaluation
	lock := filepath.Join(p.workDir, s.Name+".lock")
	if err := os.WriteFile(lock, []byte(s.Name), 0o600); err != nil {
		return err
	}
	h.after = func() { _ = os.Remove(lock) }
	return s.Run()
}

// PrepareLocked is Prepare with the cleanup deferred through a closure that
// reads the hook when the function exits.
func (p *Pipeline) PrepareLocked(s Stage) error {
	var h hookSet
	h.after = func() {}
	defer func() { h.after() }()
	lock := filepath.Join(p.workDir, s.Name+".lock")
	if err := os.WriteFile(lock, []byte(s.Name), 0o600); err != nil {
		return err
	}
	h.after = func() { _ = os.Remove(lock) }
	return s.Run()
}

// Publish copies data to dst inside the work directory under a trace span.
func (p *Pipeline) Publish(dst string, data []byte) error {
	defer p.trace.span("publish " + dst) // HAZ defer-func-result-not-called
	target := filepath.Join(p.workDir, dst)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	return os.WriteFile(target, data, 0o644)
}

// Shutdown releases the pipeline, tolerating a zero Pipeline.
func (p *Pipeline) Shutdown() map[string]time.Duration {
	release := p.release
	if release == nil {
		release = func() {}
	}
	defer release()
	out := make(map[string]time.Duration, len(p.stats))
	for k, v := range p.stats {
		out[k] = v
	}
	return out
}

// Clean removes the artefacts of the given kind and then runs that kind's
// teardown.
func (p *Pipeline) Clean(kind string, names []string) error {
	teardown := p.teardowns[kind]
	defer teardown() // HAZ defer-nil-func
	for _, n := range names {
		if err := os.Remove(filepath.Join(p.workDir, kind, n)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// CleanKnown is Clean for kinds the pipeline has a teardown for; any other
// kind is refused before anything is deferred.
func (p *Pipeline) CleanKnown(kind string, names []string) error {
	teardown, ok := p.teardowns[kind]
	if !ok || teardown == nil {
		return fmt.Errorf("pipeline: no teardown for %q", kind)
	}
	defer teardown()
	for _, n := range names {
		if err := os.Remove(filepath.Join(p.workDir, kind, n)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// Attempt runs fn and returns its result; a panicking fn yields the zero value.
func Attempt[T any](fn func() (T, error)) (out T, err error) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return fn()
}

// AttemptErr runs fn and turns a panic into an error.
func AttemptErr[T any](fn func() (T, error)) (out T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("hooks: panic: %v", r)
		}
	}()
	return fn()
}
