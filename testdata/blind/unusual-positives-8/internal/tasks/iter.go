package tasks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strings"
	"sync"

	"example.com/up8/internal/fsutil"
	"example.com/up8/internal/guard"
)

// All yields the steps in order.
func (p *Pipeline) All() iter.Seq[Step] {
	return func(yield func(Step) bool) {
		for _, s := range p.Steps() {
			if !yield(s) {
				return
			}
		}
	}
}

// Lint parses every step's spec file in specDir and returns the problems.
func (p *Pipeline) Lint(specDir string) []error {
	var errs []error
	for s := range p.All() {
		f, err := fsutil.Open(filepath.Join(specDir, s.Name+".json"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		var spec map[string]any
		if err := json.NewDecoder(f).Decode(&spec); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.Name, err))
		}
	}
	return errs
}

// lintOne parses the spec file of one step.
func lintOne(specDir, name string) error {
	f, err := fsutil.Open(filepath.Join(specDir, name+".json"))
	if err != nil {
		return err
	}
	defer f.Close()
	var spec map[string]any
	if err := json.NewDecoder(f).Decode(&spec); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// LintAll is Lint with one file open at a time.
func (p *Pipeline) LintAll(specDir string) []error {
	var errs []error
	for s := range p.All() {
		if err := lintOne(specDir, s.Name); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Follow handles queued jobs until ctx ends.
func (p *Pipeline) Follow(ctx context.Context, queue <-chan Job, handle func(Job, io.Reader) error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job := <-queue:
			in, err := fsutil.Open(job.Input)
			if err != nil {
				p.logger.Printf("job %s: %v", job.ID, err)
				continue
			}
			defer in.Close() // HAZ defer-in-loop
			if err := handle(job, in); err != nil {
				p.logger.Printf("job %s: %v", job.ID, err)
			}
		}
	}
}

// Dispatch reads newline-separated commands from r, handles them
// concurrently and returns when all are handled.
func (p *Pipeline) Dispatch(r io.Reader, handle func(string)) error {
	br := bufio.NewReader(r)
	var wg sync.WaitGroup
	var line string
	var err error
	for line, err = br.ReadString('\n'); err == nil; line, err = br.ReadString('\n') {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			handle(strings.TrimSpace(line))
		}()
	}
	wg.Wait()
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// DispatchAll is Dispatch with each goroutine working on its own copy of the
// line; a last line without a newline is handled too.
func (p *Pipeline) DispatchAll(r io.Reader, handle func(string)) error {
	br := bufio.NewReader(r)
	var wg sync.WaitGroup
	var line string
	var err error
	for line, err = br.ReadString('\n'); line != ""; line, err = br.ReadString('\n') {
		line := line
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(strings.TrimSpace(line))
		}()
		if err != nil {
			break
		}
	}
	wg.Wait()
	if err == nil || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// RunSupervised runs the named steps concurrently; a panicking step is
// logged by g instead of crashing the process.
func (p *Pipeline) RunSupervised(ctx context.Context, g *guard.Guard, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			p.logger.Printf("pipeline %s: no step %q", p.Name, name)
			continue
		}
		wg.Add(1)
		go func() {
			defer g.Catch()
			if err := p.runStep(ctx, s); err != nil {
				p.logger.Printf("pipeline %s: %v", p.Name, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RunSupervisedAll is RunSupervised with Done deferred first, so it runs
// after the guard even when a step panics.
func (p *Pipeline) RunSupervisedAll(ctx context.Context, g *guard.Guard, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer g.Catch()
			if err := p.runStep(ctx, s); err != nil {
				p.logger.Printf("pipeline %s: %v", p.Name, err)
			}
		}()
	}
	wg.Wait()
}
