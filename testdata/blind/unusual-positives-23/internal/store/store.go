// Package store keeps recent samples in memory shards and persists them as
// segment files.
package store

import (
	"errors"
	"fmt"
	"hash/fnv"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const (
	indexFile    = "index.tsv"
	manifestFile = "MANIFEST"
)

// Store is the ingest-side time series store.
type Store struct {
	dir    string
	cat    *Catalog
	reg    *Registry
	shards []*Shard
	log    *log.Logger

	mu     sync.Mutex // guards active
	active int
}

// Batch is a set of points for one series applied all-or-nothing.
type Batch struct {
	Series string
	Points []Point
}

// Open creates (if needed) dir and returns a store with n shards.
func Open(dir string, n int, logger *log.Logger) (*Store, error) {
	if n < 1 {
		return nil, fmt.Errorf("store: need at least one shard, got %d", n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	st := &Store{dir: dir, cat: NewCatalog(), reg: NewRegistry(), log: logger}
	for i := 0; i < n; i++ {
		st.shards = append(st.shards, newShard(i))
	}
	return st, nil
}

// Catalog exposes the series catalog.
func (st *Store) Catalog() *Catalog { return st.cat }

// Registry exposes the write counters.
func (st *Store) Registry() *Registry { return st.reg }

func (st *Store) shardFor(series string) *Shard {
	h := fnv.New32a()
	h.Write([]byte(series))
	return st.shards[int(h.Sum32()%uint32(len(st.shards)))]
}

// Write stores one point.
func (st *Store) Write(series string, p Point) error {
	st.cat.Intern(series)
	if err := st.shardFor(series).Append(series, p); err != nil {
		return err
	}
	st.reg.Add(map[string]int64{series: 1})
	return nil
}

// ApplyBatch appends b and rolls the series back if any point is rejected.
func (st *Store) ApplyBatch(b Batch) error {
	sh := st.shardFor(b.Series)
	mark := sh.mark(b.Series)
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rerr := sh.rollback(b.Series, mark); rerr != nil {
				err = fmt.Errorf("%w (rollback failed: %v)", err, rerr)
			}
		}
	}()
	for _, p := range b.Points {
		if err = sh.Append(b.Series, p); err != nil {
			return err
		}
	}
	st.reg.Add(map[string]int64{b.Series: int64(len(b.Points))})
	return nil
}

// Import replaces the points of series, e.g. when restoring from a backup
// taken by another node.
func (st *Store) Import(series string, pts []Point) {
	st.cat.Intern(series)
	st.shardFor(series).restore(series, pts)
}

// Active returns the shard currently receiving rotations.
func (st *Store) Active() *Shard {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.shards[st.active]
}

// Rotate advances the active shard and returns the one it left.
func (st *Store) Rotate() *Shard {
	st.mu.Lock()
	defer st.mu.Unlock()
	prev := st.shards[st.active]
	st.active = (st.active + 1) % len(st.shards)
	return prev
}

// CompactAll compacts every shard and reports the bytes freed.
func (st *Store) CompactAll() int {
	freed := 0
	for _, sh := range st.shards {
		unlock := sh.mutex().Unlock
		sh.mutex().Lock()
		defer unlock() // HAZ defer-in-loop
		freed += sh.compactLocked()
	}
	return freed
}

// CompactEach compacts the shards one at a time, holding each lock only for
// its own shard.
func (st *Store) CompactEach() int {
	freed := 0
	for _, sh := range st.shards {
		func() {
			unlock := sh.mutex().Unlock
			sh.mutex().Lock()
			defer unlock()
			freed += sh.compactLocked()
		}()
	}
	return freed
}

// WatchIndex reloads the on-disk index on every tick. It never returns.
func (st *Store) WatchIndex(t *time.Ticker) {
	for range t.C {
		f, err := os.Open(filepath.Join(st.dir, indexFile))
		if err != nil {
			st.log.Printf("store: index reload: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
		if n, err := st.cat.loadFrom(f); err != nil {
			st.log.Printf("store: index reload: %v", err)
		} else if n > 0 {
			st.log.Printf("store: index reload: %d new series", n)
		}
	}
}

// WatchIndexUntil reloads the index on every tick until done is closed.
func (st *Store) WatchIndexUntil(t *time.Ticker, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		func() {
			f, err := os.Open(filepath.Join(st.dir, indexFile))
			if err != nil {
				st.log.Printf("store: index reload: %v", err)
				return
			}
			defer f.Close()
			if _, err := st.cat.loadFrom(f); err != nil {
				st.log.Printf("store: index reload: %v", err)
			}
		}()
	}
}

// Close seals and flushes every shard, then writes the manifest.
func (st *Store) Close() error {
	var errs []error
	for _, sh := range st.shards {
		if _, err := sh.Seal(); err != nil && !errors.Is(err, ErrSealed) {
			errs = append(errs, err)
			continue
		}
		if err := st.flushShard(sh); err != nil {
			errs = append(errs, fmt.Errorf("flush shard %d: %w", sh.id, err))
		}
	}
	if err := st.writeManifest(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Shards returns the store's shards.
func (st *Store) Shards() []*Shard { return st.shards }
