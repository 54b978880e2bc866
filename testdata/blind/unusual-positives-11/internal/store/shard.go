// Package store persists records to per-shard append-only files and
// exports them as CSV, JSON or compressed archives.
package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/up11/internal/metrics"
)

// Shard buffers appends for one partition and flushes them to its file.
type Shard struct {
	Name string
	path string
	mu   sync.Mutex
	buf  bytes.Buffer
}

// NewShard returns a shard stored in dir.
func NewShard(dir, name string) *Shard {
	return &Shard{Name: name, path: filepath.Join(dir, name+".log")}
}

// Append buffers one record.
func (s *Shard) Append(rec []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(rec)
	s.buf.WriteByte('\n')
}

// Flush appends the buffered records to the shard file.
func (s *Shard) Flush() (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf.Len() == 0 {
		return nil
	}
	f, err := os.OpenFile(s.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("shard %s: %w", s.Name, err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err := s.buf.WriteTo(f); err != nil {
		return fmt.Errorf("shard %s: write: %w", s.Name, err)
	}
	return nil
}

// Compact rewrites the shard file keeping only the last record per key.
func (s *Shard) Compact(keyOf func([]byte) string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := os.ReadFile(s.path)
	if err != nil {
		return fmt.Errorf("compact %s: %w", s.Name, err)
	}
	latest := make(map[string][]byte)
	var order []string
	for line := range bytes.Lines(data) {
		k := keyOf(line)
		if _, seen := latest[k]; !seen {
			order = append(order, k)
		}
		latest[k] = line
	}
	var out bytes.Buffer
	for _, k := range order {
		out.Write(latest[k])
	}
	tmp := s.path + ".compact"
	if err := os.WriteFile(tmp, out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("compact %s: %w", s.Name, err)
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Rename(tmp, s.path); err != nil {
			return fmt.Errorf("compact %s: install: %w", s.Name, err)
		}
		return nil
	}()
	return nil
}

// Option configures a Store.
type Option func(*Store)

// WithTracer records spans for store operations.
func WithTracer(tr *metrics.Tracer) Option {
	return func(s *Store) { s.tr = tr }
}

// Store is a set of shards under one directory.
type Store struct {
	dir    string
	shards []*Shard
	byName map[string]*Shard
	hist   *metrics.Histogram[string]
	tr     *metrics.Tracer
}

// Open returns a store with one shard per name.
func Open(dir string, names []string, opts ...Option) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	s := &Store{
		dir:    dir,
		byName: make(map[string]*Shard, len(names)),
		hist:   metrics.NewHistogram[string](),
		tr:     metrics.NewTracer(metrics.NewMemRecorder()),
	}
	for _, o := range opts {
		o(s)
	}
	for _, n := range names {
		sh := NewShard(dir, n)
		s.shards = append(s.shards, sh)
		s.byName[n] = sh
	}
	return s, nil
}

// Shard returns the named shard.
func (s *Store) Shard(name string) (*Shard, error) {
	sh, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("store: no shard %q", name)
	}
	return sh, nil
}

// Checkpoint flushes every shard and records how long that took.
func (s *Store) Checkpoint() error {
	start := time.Now()
	defer s.hist.Observe("checkpoint", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	var errs []error
	for _, sh := range s.shards {
		if err := sh.Flush(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// Sync is Checkpoint measured with the histogram's timer closure.
func (s *Store) Sync() error {
	defer s.hist.Time("sync")()
	return FlushEach(s.shards)
}

// CompactAll compacts every shard and measures the whole pass.
func (s *Store) CompactAll(keyOf func([]byte) string) error {
	defer s.hist.Time("compact") // HAZ defer-func-result-not-called
	for _, sh := range s.shards {
		if err := sh.Compact(keyOf); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}

// Snapshot copies every shard file into dst, measuring the pass with an
// exit-time closure.
func (s *Store) Snapshot(dst string) error {
	start := time.Now()
	defer func() { s.hist.Observe("snapshot", time.Since(start)) }()
	end := s.tr.Span("snapshot")
	defer end()
	for _, sh := range s.shards {
		data, err := os.ReadFile(sh.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: snapshot %s: %w", sh.Name, err)
		}
		if err := WriteFileAtomic(filepath.Join(dst, filepath.Base(sh.path)), data); err != nil {
			return fmt.Errorf("store: snapshot %s: %w", sh.Name, err)
		}
	}
	return nil
}

// FlushEach flushes shards concurrently. The file's Go version is the
// module's (1.24), so each goroutine sees its own i and sh.
func FlushEach(shards []*Shard) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = sh.Flush()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
