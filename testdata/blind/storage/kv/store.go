// Package kv is a small persistent key-value store: an in-memory map guarded
// by a sync.RWMutex, backed by an append-only data file that a background
// flusher keeps up to date.
package kv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("kv: store closed")

// Options configure a Store.
type Options struct {
	// FlushInterval is how often dirty keys are appended to the data file.
	// Zero disables the background flusher.
	FlushInterval time.Duration
	Logf          func(format string, args ...any)
}

// Store is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	data   map[string][]byte
	dirty  map[string]bool // key -> deleted
	f      *os.File        // data file, opened for appending
	path   string
	closed bool

	paused  atomic.Bool
	stop    chan struct{}
	wg      sync.WaitGroup
	logf    func(string, ...any)
	metrics *metrics
}

// Open loads path (if it exists) and opens it for appending.
func Open(path string, opts Options) (*Store, error) {
	s := &Store{
		data:    make(map[string][]byte),
		dirty:   make(map[string]bool),
		path:    path,
		stop:    make(chan struct{}),
		logf:    opts.Logf,
		metrics: newMetrics(),
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	s.f = f
	if opts.FlushInterval > 0 {
		s.wg.Add(1)
		go s.flushLoop(opts.FlushInterval)
	}
	return s, nil
}

func (s *Store) load() error {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	r := bufio.NewReader(f)
	for {
		op, key, value, err := readRecord(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("kv: load %s: %w", s.path, err)
		}
		if op == opDel {
			delete(s.data, key)
			continue
		}
		s.data[key] = value
	}
}

// Get returns a copy of the value stored under key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	if !ok {
		return nil, false
	}
	return bytes.Clone(v), true
}

// Has reports whether key is present.
func (s *Store) Has(key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.data[key]
	return ok
}

// Put stores a copy of value under key.
func (s *Store) Put(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.data[key] = bytes.Clone(value)
	s.dirty[key] = false
	return nil
}

// Delete removes key.
func (s *Store) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	delete(s.data, key)
	s.dirty[key] = true
	return nil
}

// GetMany returns the values of the keys that exist.
func (s *Store) GetMany(keys []string) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if !s.Has(k) { // HAZ lock-reentry-under-defer
			continue
		}
		out[k] = bytes.Clone(s.data[k])
	}
	return out
}

// Lookup is GetMany without the copy-per-key overhead for missing keys.
func (s *Store) Lookup(keys []string) map[string][]byte {
	defer s.metrics.since("lookup", time.Now()) // ok: start time is meant to be taken here
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, ok := s.data[k]; ok { // ok: direct map access under the held read lock
			out[k] = bytes.Clone(v)
		}
	}
	return out
}

// PutMany stores every pair.
func (s *Store) PutMany(kvs map[string][]byte) {
	for k, v := range kvs {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.data[k] = bytes.Clone(v)
		s.dirty[k] = false
	}
}

// PutBatch stores every pair under a single lock acquisition.
func (s *Store) PutBatch(kvs map[string][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for k, v := range kvs {
		s.data[k] = bytes.Clone(v)
		s.dirty[k] = false
	}
	return nil
}

// Keys returns the sorted keys with the given prefix.
func (s *Store) Keys(prefix string) []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	var keys []string
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Scan calls fn for every key with the given prefix, in key order, until fn
// returns false. fn runs without the store lock held.
func (s *Store) Scan(prefix string, fn func(key string, value []byte) bool) int {
	start := time.Now()
	defer s.metrics.span("scan", start, time.Now()) // HAZ defer-eager-evaluation
	type kv struct {
		k string
		v []byte
	}
	s.mu.RLock()
	var items []kv
	for k, v := range s.data {
		if strings.HasPrefix(k, prefix) {
			items = append(items, kv{k, bytes.Clone(v)})
		}
	}
	s.mu.RUnlock()
	sort.Slice(items, func(i, j int) bool { return items[i].k < items[j].k })
	n := 0
	for _, it := range items {
		n++
		if !fn(it.k, it.v) {
			break
		}
	}
	return n
}

// Count returns the number of live keys.
func (s *Store) Count() int {
	start := time.Now()
	defer func() { s.metrics.observe("count", time.Since(start)) }() // ok: evaluated at exit
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Flush appends every dirty key to the data file and syncs it.
func (s *Store) Flush() error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if len(s.dirty) == 0 {
		s.mu.Unlock()
		return nil
	}
	var buf bytes.Buffer
	for k, deleted := range s.dirty {
		var err error
		if deleted {
			err = writeRecord(&buf, opDel, k, nil)
		} else {
			err = writeRecord(&buf, opPut, k, s.data[k])
		}
		if err != nil {
			s.mu.Unlock()
			return err
		}
	}
	if _, err := s.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("kv: flush: %w", err)
	}
	clear(s.dirty)
	s.mu.Unlock()
	return s.f.Sync()
}

// flushDirty is what the background flusher calls: it takes the dirty set
// under the lock and writes outside of it.
func (s *Store) flushDirty() error {
	s.mu.Lock()
	if s.closed || len(s.dirty) == 0 {
		s.mu.Unlock()
		return nil
	}
	var buf bytes.Buffer
	for k, deleted := range s.dirty {
		if deleted {
			_ = writeRecord(&buf, opDel, k, nil) // bytes.Buffer writes do not fail
		} else {
			_ = writeRecord(&buf, opPut, k, s.data[k])
		}
	}
	pending := s.dirty
	s.dirty = make(map[string]bool)
	f := s.f
	s.mu.Unlock()

	_, err := f.Write(buf.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		s.mu.Lock()
		defer s.mu.Unlock() // ok: not in a loop, single acquisition
		for k, deleted := range pending {
			if _, again := s.dirty[k]; !again {
				s.dirty[k] = deleted
			}
		}
	}
	return err
}

func (s *Store) flushLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if s.paused.Load() {
				continue
			}
			if err := s.flushDirty(); err != nil {
				s.logf("kv: background flush: %v", err)
			}
		}
	}
}

// pauseFlusher stops background flushes until the returned func is called.
func (s *Store) pauseFlusher() (resume func()) {
	s.paused.Store(true)
	return func() { s.paused.Store(false) }
}

// dataFile returns the file currently receiving appends. Callers hold s.mu.
func (s *Store) dataFile() *os.File { return s.f }

// Compact rewrites the data file with only the live keys and swaps it in.
func (s *Store) Compact() (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.dataFile().Sync() // HAZ defer-call-chain
	tmpPath := s.path + ".compact"
	nf, err := os.OpenFile(tmpPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(nf)
	for k, v := range s.data {
		if err := writeRecord(bw, opPut, k, v); err != nil {
			nf.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		nf.Close()
		return err
	}
	if err := os.Rename(tmpPath, s.path); err != nil {
		nf.Close()
		return err
	}
	old := s.f
	s.f = nf
	clear(s.dirty)
	return old.Close()
}

// Close stops the flusher, writes what is dirty and closes the data file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()

	close(s.stop)
	s.wg.Wait()

	s.mu.Lock()
	defer s.mu.Unlock()
	var buf bytes.Buffer
	for k, deleted := range s.dirty {
		if deleted {
			_ = writeRecord(&buf, opDel, k, nil)
		} else {
			_ = writeRecord(&buf, opPut, k, s.data[k])
		}
	}
	_, werr := s.f.Write(buf.Bytes())
	return errors.Join(werr, s.f.Sync(), s.f.Close())
}

// Metrics returns per-operation latency summaries.
func (s *Store) Metrics() []OpSummary { return s.metrics.summary() }
