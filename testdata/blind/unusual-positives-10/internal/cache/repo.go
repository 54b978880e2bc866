package cache

import (
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder aggregates operation timings without locks.
type Recorder struct {
	ops      atomic.Int64
	failures atomic.Int64
	nanos    atomic.Int64
}

// Span is one timed operation.
type Span struct {
	rec   *Recorder
	name  string
	start time.Time
}

// Start begins a span.
func (r *Recorder) Start(name string) *Span {
	return &Span{rec: r, name: name, start: time.Now()}
}

// End records the span with its outcome.
func (s *Span) End(err error) {
	s.rec.ops.Add(1)
	s.rec.nanos.Add(int64(time.Since(s.start)))
	if err != nil {
		s.rec.failures.Add(1)
	}
}

// Failures returns the number of failed operations.
func (r *Recorder) Failures() int64 { return r.failures.Load() }

// Keyed is implemented by everything a Repo stores.
type Keyed interface {
	Key() string
}

// Repo is an in-memory repository with validation and timing.
type Repo[T Keyed] struct {
	mu       sync.RWMutex
	name     string
	rows     map[string]T
	rec      *Recorder
	validate func(T) error
}

// NewRepo returns an empty repository.
func NewRepo[T Keyed](name string, rec *Recorder, validate func(T) error) *Repo[T] {
	return &Repo[T]{name: name, rows: make(map[string]T), rec: rec, validate: validate}
}

// Get returns the row with key k.
func (r *Repo[T]) Get(k string) (T, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.rows[k]
	return v, ok
}

// Save validates and stores item; the span records whether it failed.
func (r *Repo[T]) Save(item T) (err error) {
	span := r.rec.Start("repo.save")
	defer span.End(err) // HAZ defer-eager-evaluation
	if err = r.validate(item); err != nil {
		return fmt.Errorf("repo %s: %w", r.name, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows[item.Key()] = item
	return nil
}

// Delete removes the row with key k; the span sees the final error.
func (r *Repo[T]) Delete(k string) (err error) {
	span := r.rec.Start("repo.delete")
	defer func() { span.End(err) }()
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rows[k]; !ok {
		return fmt.Errorf("repo %s: no row %q", r.name, k)
	}
	delete(r.rows, k)
	return nil
}

// ImportAll validates every item and stores them all, or none.
func (r *Repo[T]) ImportAll(items []T) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("repo %s: import: %w", r.name, err)
		}
	}()
	staged := make(map[string]T, len(items))
	for _, it := range items {
		if err = r.validate(it); err != nil {
			return err
		}
		staged[it.Key()] = it
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	maps.Copy(r.rows, staged)
	return nil
}

// Merge is ImportAll for rows that may already exist; the deferred wrap
// reaches the caller through the named result.
func (r *Repo[T]) Merge(items []T) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("repo %s: merge: %w", r.name, err)
		}
	}()
	for _, it := range items {
		if err = r.validate(it); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, it := range items {
		r.rows[it.Key()] = it
	}
	return nil
}

// Replace swaps the repository contents for items. If an item does not
// validate, the previous rows are put back.
func (r *Repo[T]) Replace(items []T) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	committed := false
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	old := r.rows
	r.rows = make(map[string]T, len(items))
	undo = func() {
		if !committed {
			r.rows = old
		}
	}
	for _, it := range items {
		if err := r.validate(it); err != nil {
			return fmt.Errorf("repo %s: replace: %w", r.name, err)
		}
		r.rows[it.Key()] = it
	}
	committed = true
	return nil
}

// Swap is Replace with the undo looked up when the deferred closure runs,
// so it sees the restore installed after the defer statement.
func (r *Repo[T]) Swap(items []T) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	committed := false
	undo := func() {}
	defer func() { undo() }()
	old := r.rows
	r.rows = make(map[string]T, len(items))
	undo = func() {
		if !committed {
			r.rows = old
		}
	}
	for _, it := range items {
		if err := r.validate(it); err != nil {
			return fmt.Errorf("repo %s: swap: %w", r.name, err)
		}
		r.rows[it.Key()] = it
	}
	committed = true
	return nil
}
