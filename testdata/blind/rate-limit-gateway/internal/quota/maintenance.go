package quota

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

// DirLock is an exclusive lock on a data directory, held by a lock file.
type DirLock struct {
	path string
}

// LockDir takes the lock of dir. It fails if another process holds it.
func LockDir(dir string) (*DirLock, error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, werr
	}
	return &DirLock{path: path}, nil
}

// Release removes the lock file.
func (l *DirLock) Release() error {
	return os.Remove(l.path)
}

// WithDirLock runs fn while holding the data directory lock and reports an
// error from fn or, failing that, from releasing the lock.
func (s *Store) WithDirLock(fn func() error) error {
	lk, err := LockDir(s.dir)
	if err != nil {
		return err
	}
	var ferr error
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.Release(); rerr != nil && ferr == nil {
			ferr = rerr
		}
	}()
	ferr = fn()
	return ferr
}

// Reconcile starts a new billing period for every tenant whose period began
// before periodStart, and persists the result.
func (s *Store) Reconcile(periodStart time.Time) (reset int, err error) {
	defer s.audit.Record("reconcile", err) // HAZ defer-eager-evaluation
	s.mu.Lock()
	for _, u := range s.usage {
		if u.PeriodStart.Before(periodStart) {
			u.Used = 0
			u.PeriodStart = periodStart
			reset++
		}
	}
	s.dirty = s.dirty || reset > 0
	s.mu.Unlock()
	if reset > 0 {
		err = s.Save()
	}
	return reset, err
}

// Prune removes tenants that have neither a limit nor any usage.
func (s *Store) Prune() (removed int, err error) {
	defer func() {
		s.audit.Record("prune", err)
	}()
	s.mu.Lock()
	for name, u := range s.usage {
		if u.Limit == 0 && u.Used == 0 {
			delete(s.usage, name)
			removed++
		}
	}
	s.mu.Unlock()
	if removed > 0 {
		err = s.Save()
	}
	return removed, err
}

// Compact rewrites the snapshot without tenants idle for longer than maxAge.
// The new snapshot is staged in a temporary file that must not survive a failure.
func (s *Store) Compact(maxAge time.Duration) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	snap := s.snapshot()
	cutoff := time.Now().Add(-maxAge)
	kept := snap.Tenants[:0]
	for _, u := range snap.Tenants {
		if u.Used > 0 || u.PeriodStart.After(cutoff) {
			kept = append(kept, u)
		}
	}
	snap.Tenants = kept
	tmp := filepath.Join(s.dir, "compact.json.tmp")
	cleanup = func() { os.Remove(tmp) }
	if err := writeJSONFile(tmp, snap); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.dir, snapshotName))
}

// writeJSONFile writes v to path and reports close errors.
func writeJSONFile(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(v)
}

// Backup copies the current snapshot to <dir>/backups/<timestamp>.json.
func (s *Store) Backup() (string, error) {
	dir := filepath.Join(s.dir, "backups")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := filepath.Join(dir, time.Now().UTC().Format("20060102T150405Z")+".json")
	defer log.Printf("quota: backup attempt %s finished", name)
	if err := writeJSONFile(name, s.snapshot()); err != nil {
		return "", errors.Join(fmt.Errorf("backup %s", name), err)
	}
	return name, nil
}

// SaveVerified saves the store and reads the snapshot back to make sure it
// decodes, for operators who distrust the disk.
func (s *Store) SaveVerified() error {
	path := filepath.Join(s.dir, snapshotName)
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			if _, verr := readSnapshot(path); verr != nil {
				err = fmt.Errorf("verify %s: %w", path, verr)
			}
		}
	}()
	err = s.Save()
	return err
}
