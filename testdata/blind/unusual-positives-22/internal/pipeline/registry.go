package pipeline

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"sync"
)

// StageFunc transforms one tile.
type StageFunc func(context.Context, []byte) ([]byte, error)

// Registry maps stage names to their implementation and optional teardown.
type Registry struct {
	mu       sync.RWMutex
	stages   map[string]StageFunc
	teardown map[string]func()
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{stages: map[string]StageFunc{}, teardown: map[string]func(){}}
}

// Register adds a stage; teardown may be nil. Stages are registered at
// startup, before Run is called.
func (r *Registry) Register(name string, fn StageFunc, teardown func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stages[name] = fn
	if teardown != nil {
		r.teardown[name] = teardown
	}
}

func (r *Registry) lookup(name string) (StageFunc, func(), bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fn, ok := r.stages[name]
	return fn, r.teardown[name], ok
}

// Run executes the named stage and its teardown.
func (r *Registry) Run(ctx context.Context, name string, in []byte) ([]byte, error) {
	fn, _, ok := r.lookup(name)
	if !ok {
		return nil, fmt.Errorf("pipeline: unknown stage %q", name)
	}
	defer r.teardown[name]() // HAZ defer-nil-func
	return fn(ctx, in)
}

// RunChecked executes the named stage and its teardown, if it has one.
func (r *Registry) RunChecked(ctx context.Context, name string, in []byte) ([]byte, error) {
	fn, teardown, ok := r.lookup(name)
	if !ok {
		return nil, fmt.Errorf("pipeline: unknown stage %q", name)
	}
	if teardown != nil {
		defer teardown()
	}
	return fn(ctx, in)
}

// Chain runs the named stages in order, feeding each the previous output.
func (r *Registry) Chain(ctx context.Context, names []string, in []byte) ([]byte, error) {
	out := in
	for _, name := range names {
		var err error
		if out, err = r.RunChecked(ctx, name, out); err != nil {
			return nil, fmt.Errorf("stage %s: %w", name, err)
		}
	}
	return out, nil
}

// scratch hands out reusable copy buffers.
type scratch struct {
	pool sync.Pool
}

func newScratch(size int) *scratch {
	s := &scratch{}
	s.pool.New = func() any {
		b := make([]byte, size)
		return &b
	}
	return s
}

// Get returns a buffer and the function that gives it back.
func (s *scratch) Get() ([]byte, func()) {
	bp := s.pool.Get().(*[]byte)
	return *bp, func() { s.pool.Put(bp) }
}

var bigScratch = newScratch(1 << 20)

// Digest hashes r, borrowing a large buffer for big inputs.
func Digest(r io.Reader, size int64) (uint64, error) {
	buf := make([]byte, 32<<10)
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if size > 8<<20 {
		buf, release = bigScratch.Get()
	}
	h := fnv.New64a()
	if _, err := io.CopyBuffer(h, r, buf); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
}

// DigestPooled is Digest with the release looked up when the function exits.
func DigestPooled(r io.Reader, size int64) (uint64, error) {
	buf := make([]byte, 32<<10)
	release := func() {}
	defer func() { release() }()
	if size > 8<<20 {
		buf, release = bigScratch.Get()
	}
	h := fnv.New64a()
	if _, err := io.CopyBuffer(h, r, buf); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
}
