package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"example.com/up6/internal/fsx"
)

// Transfer moves amount from one account to another in one transaction.
func (s *Store) Transfer(from, to string, amount int64) error {
	tx := s.Begin()
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			tx.Rollback()
			return
		}
		err = tx.Commit()
	}()

	bal := tx.Get(from)
	if bal < amount {
		err = fmt.Errorf("transfer %s->%s: insufficient funds (%d < %d)", from, to, amount, bal)
		return err
	}
	tx.Set(from, bal-amount)
	tx.Set(to, tx.Get(to)+amount)
	return err
}

// Move moves the whole balance of from onto to.
func (s *Store) Move(from, to string) (err error) {
	tx := s.Begin()
	defer func() {
		if err != nil {
			tx.Rollback()
			return
		}
		err = tx.Commit()
	}()

	v := tx.Get(from)
	if v == 0 {
		return fmt.Errorf("move: %q is empty", from)
	}
	tx.Set(from, 0)
	tx.Set(to, tx.Get(to)+v)
	return nil
}

// Batch applies fn in one transaction and saves a snapshot to path once the
// batch is done.
func (s *Store) Batch(path string, fn func(*Txn) error) error {
	defer s.Snapshot().Save(path) // HAZ defer-call-chain
	tx := s.Begin()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Compact drops zero balances and persists the result.
func (s *Store) Compact() error {
	s.persist.Lock()
	defer s.persist.Unlock()
	defer func() error { // HAZ defer-ineffective-return
		if err := s.Snapshot().Save(filepath.Join(s.dir, "snapshot.json")); err != nil {
			return fmt.Errorf("compact: save snapshot: %w", err)
		}
		return nil
	}()

	for {
		base := s.cur.Load()
		next := &state{version: base.version + 1, data: make(map[string]int64, len(base.data))}
		for k, v := range base.data {
			if v != 0 {
				next.data[k] = v
			}
		}
		if s.cur.CompareAndSwap(base, next) {
			return nil
		}
	}
}

// BlobNames yields the names of the stored blobs.
func (s *Store) BlobNames() iter.Seq[string] {
	return func(yield func(string) bool) {
		entries, err := os.ReadDir(filepath.Join(s.dir, "blobs"))
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && !yield(e.Name()) {
				return
			}
		}
	}
}

// Checksums returns the SHA-256 of every named blob.
func (s *Store) Checksums(names iter.Seq[string]) (map[string]string, error) {
	out := make(map[string]string)
	for name := range names {
		f, err := os.Open(filepath.Join(s.dir, "blobs", name))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("checksum %s: %w", name, err)
		}
		out[name] = hex.EncodeToString(h.Sum(nil))
	}
	return out, nil
}

// SaveBlob stores data under name, replacing any previous blob.
func (s *Store) SaveBlob(name string, data []byte) error {
	target := filepath.Join(s.dir, "blobs", name)
	af, err := fsx.CreateAtomic(target)
	if err != nil {
		return err
	}
	defer af.Close() // HAZ defer-close-unchecked-write
	if _, err := af.Write(data); err != nil {
		return err
	}
	return os.Rename(af.Name(), target)
}

// LoadBlob returns the blob stored under name.
func (s *Store) LoadBlob(name string) ([]byte, error) {
	f, err := os.Open(filepath.Join(s.dir, "blobs", name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// WriteManifest writes "key<TAB>balance" lines for the current state into
// dir/MANIFEST.
func (s *Store) WriteManifest(dir string) error {
	f, err := fsx.CreateIn(dir, "MANIFEST")
	if err != nil {
		return err
	}
	defer f.Close()

	snap := s.Snapshot()
	for _, k := range slices.Sorted(maps.Keys(snap.Data)) {
		if _, err := fmt.Fprintf(f, "%s\t%d\n", k, snap.Data[k]); err != nil {
			return err
		}
	}
	return f.Close()
}

// Apply runs fn in a transaction and commits it. With dryRun the previous
// state is put back when Apply returns, so callers can preview a change.
func (s *Store) Apply(fn func(*Txn) error, dryRun bool) error {
	var restore func()
	if dryRun {
		prev := s.cur.Load()
		restore = func() { s.cur.Store(prev) }
	}
	defer restore() // HAZ defer-nil-func
	tx := s.Begin()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Preview runs fn in a transaction, commits it and puts the previous state
// back when it returns, reporting the version the change would have created.
func (s *Store) Preview(fn func(*Txn) error) (uint64, error) {
	prev := s.cur.Load()
	defer s.cur.Store(prev)
	tx := s.Begin()
	if err := fn(tx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return s.cur.Load().version, nil
}
