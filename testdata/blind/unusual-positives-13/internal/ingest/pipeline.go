package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"example.com/up13/internal/trace"
)

// Batch is a group of records imported together.
type Batch struct {
	ID      string
	Records []Record
	Scratch string // working directory for stages that transcode
}

// needsScratch reports whether any record needs transcoding on disk.
func (b *Batch) needsScratch() bool {
	for _, r := range b.Records {
		if filepath.Ext(r.Path) == ".mxf" {
			return true
		}
	}
	return false
}

// Stage is one pipeline step.
type Stage struct {
	Name    string
	Run     func(*Batch) error
	Applies func(*Batch) bool
}

// Check is a read-only validation of a batch.
type Check struct {
	Name    string
	Run     func(*Batch) error
	Applies func(*Batch) bool
}

// ScratchPool hands out scratch directories under root and recycles them.
type ScratchPool struct {
	root  string
	mu    sync.Mutex
	inUse map[string]bool
}

// NewScratchPool returns a pool rooted at root.
func NewScratchPool(root string) *ScratchPool {
	return &ScratchPool{root: root, inUse: make(map[string]bool)}
}

// Acquire reserves the scratch directory of batch id and returns it with
// the function that gives it back to the pool.
func (p *ScratchPool) Acquire(id string) (string, func(), error) {
	dir := filepath.Join(p.root, id)
	p.mu.Lock()
	if p.inUse[dir] {
		p.mu.Unlock()
		return "", nil, fmt.Errorf("ingest: scratch %s already in use", dir)
	}
	p.inUse[dir] = true
	p.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.mu.Lock()
		delete(p.inUse, dir)
		p.mu.Unlock()
		return "", nil, err
	}
	release := func() {
		p.mu.Lock()
		delete(p.inUse, dir)
		p.mu.Unlock()
	}
	return dir, release, nil
}

// Pipeline runs stages over batches.
type Pipeline struct {
	stages  []Stage
	checks  []Check
	scratch *ScratchPool
	rec     *trace.Recorder
}

// NewPipeline returns a pipeline with the given stages and checks.
func NewPipeline(scratch *ScratchPool, rec *trace.Recorder, stages []Stage, checks []Check) *Pipeline {
	return &Pipeline{stages: stages, checks: checks, scratch: scratch, rec: rec}
}

// Execute runs all applicable stages over b, reserving a scratch
// directory for batches that need one.
func (p *Pipeline) Execute(b *Batch) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if b.needsScratch() {
		dir, rel, err := p.scratch.Acquire(b.ID)
		if err != nil {
			return err
		}
		b.Scratch, release = dir, rel
	}
	for _, st := range p.stages {
		if st.Applies != nil && !st.Applies(b) {
			continue
		}
		if err := st.Run(b); err != nil {
			return fmt.Errorf("stage %s: %w", st.Name, err)
		}
	}
	return nil
}

// ExecuteScoped is Execute with the release read at exit time by a
// closure, and a span that is opened now and closed on return.
func (p *Pipeline) ExecuteScoped(b *Batch) error {
	defer p.rec.Start("pipeline.execute")()
	release := func() {}
	defer func() { release() }()
	if b.needsScratch() {
		dir, rel, err := p.scratch.Acquire(b.ID)
		if err != nil {
			return err
		}
		b.Scratch, release = dir, rel
	}
	for _, st := range p.stages {
		if st.Applies != nil && !st.Applies(b) {
			continue
		}
		if err := st.Run(b); err != nil {
			return fmt.Errorf("stage %s: %w", st.Name, err)
		}
	}
	return nil
}

// Validate runs the read-only checks of the pipeline concurrently.
func (p *Pipeline) Validate(b *Batch) error {
	var wg sync.WaitGroup
	errs := make([]error, len(p.checks))
	tasks := make([]func(), 0, len(p.checks))
	for i, c := range p.checks {
		tasks = append(tasks, func() {
			if c.Applies != nil && !c.Applies(b) {
				return
			}
			errs[i] = c.Run(b)
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	for _, task := range tasks {
		wg.Add(1)
		go task()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ValidateAll is Validate with Done deferred in every stored task.
func (p *Pipeline) ValidateAll(b *Batch) error {
	var wg sync.WaitGroup
	errs := make([]error, len(p.checks))
	tasks := make([]func(), 0, len(p.checks))
	for i, c := range p.checks {
		tasks = append(tasks, func() {
			defer wg.Done()
			if c.Applies != nil && !c.Applies(b) {
				return
			}
			errs[i] = c.Run(b)
		})
	}
	wg.Add(len(tasks))
	for _, task := range tasks {
		go task()
	}
	wg.Wait()
	return errors.Join(errs...)
}
