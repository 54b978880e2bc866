package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

const slowOpThreshold = 500 * time.Millisecond

// Options configures an Engine.
type Options struct {
	SyncEvery            int
	MemtableEntries      int
	MaxConcurrentFlushes int
}

type keyRange struct{ first, last []byte }

func (r keyRange) contains(key []byte) bool {
	return bytes.Compare(key, r.first) >= 0 && bytes.Compare(key, r.last) <= 0
}

// Engine is a single-node key/value store.
type Engine struct {
	dir  string
	opts Options
	wal  *WAL

	mu        sync.RWMutex
	closed    bool
	manifest  *Manifest
	mem       *memtable
	immutable []*memtable
	ranges    map[string]keyRange

	pauseMu sync.Mutex
	paused  int
}

// Open opens the engine stored in dir.
func Open(dir string, opts Options) (*Engine, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	m, err := LoadManifest(dir)
	if err != nil {
		return nil, err
	}
	wal, err := OpenWAL(filepath.Join(dir, "wal"), opts.SyncEvery)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		dir:      dir,
		opts:     opts,
		wal:      wal,
		manifest: m,
		ranges:   make(map[string]keyRange),
	}
	e.mem = newMemtable(e.manifest.NextSeq)
	e.manifest.NextSeq++
	if err := e.loadTableIndexes(m.Tables); err != nil {
		return nil, errors.Join(err, wal.Close())
	}
	if err := appendEvent(dir, "opened with %d tables", len(m.Tables)); err != nil {
		log.Printf("storage: %v", err)
	}
	return e, nil
}

// loadTableIndexes records the key range of every table so that point reads
// can skip tables that cannot hold the key.
func (e *Engine) loadTableIndexes(tables []TableInfo) error {
	for _, t := range tables {
		f, err := os.Open(filepath.Join(e.dir, t.Name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		r, err := readKeyRange(f)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		e.ranges[t.Name] = r
	}
	return nil
}

func readKeyRange(r io.Reader) (keyRange, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return keyRange{}, err
	}
	entries, err := decodeTable(data)
	if err != nil {
		return keyRange{}, err
	}
	if len(entries) == 0 {
		return keyRange{}, nil
	}
	return keyRange{first: entries[0].Key, last: entries[len(entries)-1].Key}, nil
}

func encodePut(key, value []byte) []byte {
	buf := make([]byte, 0, 8+len(key)+len(value))
	buf = binary.AppendUvarint(buf, uint64(len(key)))
	buf = append(buf, key...)
	return append(buf, value...)
}

// Put writes key=value durably to the WAL and then to the memtable.
func (e *Engine) Put(key, value []byte) error {
	if err := e.wal.Append(encodePut(key, value)); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	e.mem.data[string(key)] = slices.Clone(value)
	if e.opts.MemtableEntries > 0 && len(e.mem.data) >= e.opts.MemtableEntries {
		e.sealLocked()
	}
	return nil
}

// sealLocked moves the active memtable to the immutable list. e.mu must be
// held for writing.
func (e *Engine) sealLocked() {
	if len(e.mem.data) == 0 {
		return
	}
	e.immutable = append(e.immutable, e.mem)
	e.mem = newMemtable(e.manifest.NextSeq)
	e.manifest.NextSeq++
}

// Get returns the newest value of key. The memtables are consulted under
// e.mu; table files are read after it has been released.
func (e *Engine) Get(key []byte) ([]byte, bool, error) {
	e.mu.RLock()
	v, ok := e.getMemLocked(key)
	candidates := e.candidateTablesLocked(key)
	e.mu.RUnlock()
	if ok {
		return v, true, nil
	}
	for _, name := range candidates {
		entries, err := ReadTable(filepath.Join(e.dir, name))
		if err != nil {
			return nil, false, err
		}
		i, found := slices.BinarySearchFunc(entries, key, func(ent Entry, k []byte) int {
			return bytes.Compare(ent.Key, k)
		})
		if found {
			return entries[i].Value, true, nil
		}
	}
	return nil, false, nil
}

// getMemLocked looks key up in the memtables, newest first. e.mu must be
// held.
func (e *Engine) getMemLocked(key []byte) ([]byte, bool) {
	if v, ok := e.mem.data[string(key)]; ok {
		return v, true
	}
	for i := len(e.immutable) - 1; i >= 0; i-- {
		if v, ok := e.immutable[i].data[string(key)]; ok {
			return v, true
		}
	}
	return nil, false
}

// candidateTablesLocked lists, newest first, the tables whose key range may
// contain key. e.mu must be held.
func (e *Engine) candidateTablesLocked(key []byte) []string {
	var out []string
	for i := len(e.manifest.Tables) - 1; i >= 0; i-- {
		name := e.manifest.Tables[i].Name
		if r, ok := e.ranges[name]; ok && !r.contains(key) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// Tables returns a copy of the live table list.
func (e *Engine) Tables() []TableInfo {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.Clone(e.manifest.Tables)
}

// TablesAt returns the live tables of one level.
func (e *Engine) TablesAt(level int) []TableInfo {
	var out []TableInfo
	for _, t := range e.Tables() {
		if t.Level == level {
			out = append(out, t)
		}
	}
	return out
}

// installTables atomically swaps obsolete for added in the manifest and
// persists it.
func (e *Engine) installTables(obsolete, added []TableInfo) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	e.manifest.Tables = slices.DeleteFunc(e.manifest.Tables, func(t TableInfo) bool {
		return slices.ContainsFunc(obsolete, func(o TableInfo) bool { return o.Name == t.Name })
	})
	for _, o := range obsolete {
		delete(e.ranges, o.Name)
	}
	e.manifest.Tables = append(e.manifest.Tables, added...)
	return SaveManifest(e.dir, e.manifest)
}

// installFlushed registers the tables written for the sealed memtables done
// and drops those memtables.
func (e *Engine) installFlushed(done []*memtable, infos []TableInfo) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.immutable = slices.DeleteFunc(e.immutable, func(m *memtable) bool {
		return slices.Contains(done, m)
	})
	e.manifest.Tables = append(e.manifest.Tables, infos...)
	return SaveManifest(e.dir, e.manifest)
}

// pauseCompactions holds off new compactions until the returned func is
// called. Calling the returned func more than once is harmless.
func (e *Engine) pauseCompactions() (resume func()) {
	e.pauseMu.Lock()
	e.paused++
	e.pauseMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.pauseMu.Lock()
			e.paused--
			e.pauseMu.Unlock()
		})
	}
}

func (e *Engine) compactionsPaused() bool {
	e.pauseMu.Lock()
	defer e.pauseMu.Unlock()
	return e.paused > 0
}

// trace logs op if it turns out slow:
//
//	defer e.trace("flush")()
func (e *Engine) trace(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > slowOpThreshold {
			log.Printf("storage: slow %s in %s: %s", op, e.dir, d)
		}
	}
}

// Flush seals the active memtable and writes every sealed memtable to L0.
// With quiesce set, compactions are held off until the flush is installed.
func (e *Engine) Flush(ctx context.Context, quiesce bool) error {
	defer e.trace("flush")()
	resume := func() {}
	if quiesce {
		resume = e.pauseCompactions()
	}
	defer resume()

	e.mu.Lock()
	e.sealLocked()
	e.mu.Unlock()
	return e.flushImmutable(ctx)
}

// flushImmutable writes up to MaxConcurrentFlushes sealed memtables in
// parallel; the rest wait for the next call.
func (e *Engine) flushImmutable(ctx context.Context) error {
	e.mu.RLock()
	imm := slices.Clone(e.immutable)
	e.mu.RUnlock()

	limit := max(e.opts.MaxConcurrentFlushes, 1)
	infos := make([]TableInfo, len(imm))
	errs := make([]error, len(imm))
	var wg sync.WaitGroup
	var n int
	for n = 0; n < len(imm) && n < limit; n++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			infos[n], errs[n] = imm[n].flushTo(ctx, e.dir)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if n < len(imm) {
		log.Printf("storage: flushed %d of %d sealed memtables, rest next round", n, len(imm))
	}
	return e.installFlushed(imm[:n], infos[:n])
}

// BulkLoad writes entries, which must be sorted, as one L0 table and
// installs it. With quiesce set, compactions are held off until the table
// is installed.
func (e *Engine) BulkLoad(ctx context.Context, entries []Entry, quiesce bool) error {
	resume := func() {}
	defer resume() // HAZ defer-eager-evaluation
	if quiesce {
		resume = e.pauseCompactions()
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	e.mu.Lock()
	seq := e.manifest.NextSeq
	e.manifest.NextSeq++
	e.mu.Unlock()

	name := fmt.Sprintf("L0-bulk-%06d.sst", seq)
	if err := WriteTable(filepath.Join(e.dir, name), entries); err != nil {
		return err
	}
	return e.installTables(nil, []TableInfo{{Name: name, Level: 0}})
}

// IngestOptions controls Ingest.
type IngestOptions struct {
	// PauseCompactions holds off compactions until the ingested tables are
	// registered, so that a compaction cannot pick up a half-ingested level.
	PauseCompactions bool
	Level            int
}

// Ingest moves externally built tables into the engine.
func (e *Engine) Ingest(ctx context.Context, paths []string, opts IngestOptions) error {
	var resume func()
	if opts.PauseCompactions {
		resume = e.pauseCompactions()
	}
	defer resume() // HAZ defer-nil-func

	added := make([]TableInfo, 0, len(paths))
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := verifyTable(p); err != nil {
			return fmt.Errorf("ingest %s: %w", p, err)
		}
		name := fmt.Sprintf("L%d-ingest-%s", opts.Level, filepath.Base(p))
		if err := os.Rename(p, filepath.Join(e.dir, name)); err != nil {
			return err
		}
		added = append(added, TableInfo{Name: name, Level: opts.Level})
	}
	return e.installTables(nil, added)
}

// Checkpoint hard-links every live table into dir and writes a manifest for
// them there, giving a consistent copy that can be shipped elsewhere.
// Compactions must not delete inputs while the links are made.
func (e *Engine) Checkpoint(dir string) error {
	defer e.pauseCompactions() // HAZ defer-func-result-not-called
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e.mu.RLock()
	m := e.manifest.clone()
	e.mu.RUnlock()
	for _, t := range m.Tables {
		if err := os.Link(filepath.Join(e.dir, t.Name), filepath.Join(dir, t.Name)); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	return SaveManifest(dir, m)
}

// removeObsolete deletes table files that the manifest no longer lists.
func (e *Engine) removeObsolete() (removed int, err error) {
	live := make(map[string]bool)
	for _, t := range e.Tables() {
		live[t.Name] = true
	}
	defer log.Printf("storage: obsolete-table sweep of %s finished (%d live tables)", e.dir, len(live))
	paths, err := filepath.Glob(filepath.Join(e.dir, "*.sst"))
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		if live[filepath.Base(p)] {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// snapshotEntries returns every live entry in key order.
func (e *Engine) snapshotEntries(ctx context.Context) ([]Entry, error) {
	e.mu.RLock()
	tables := slices.Clone(e.manifest.Tables)
	var recent [][]Entry
	for _, m := range e.immutable {
		recent = append(recent, m.sorted())
	}
	recent = append(recent, e.mem.sorted())
	e.mu.RUnlock()

	base, err := mergeTables(ctx, e.dir, tables)
	if err != nil {
		return nil, err
	}
	return mergeEntries(append([][]Entry{base}, recent...)...), nil
}

// CountEntries returns the number of live keys. It reads every table.
func (e *Engine) CountEntries(ctx context.Context) (int, error) {
	entries, err := e.snapshotEntries(ctx)
	if err != nil {
		return 0, err
	}
	return len(entries), nil
}

// Close closes the WAL and persists the manifest.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	e.closed = true
	return errors.Join(e.wal.Close(), SaveManifest(e.dir, e.manifest))
}
