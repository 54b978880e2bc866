package fsutil

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ErrLocked is returned when another process holds the lock file.
var ErrLocked = errors.New("fsutil: lock held by another process")

// LockFile creates path exclusively and returns a func that removes it.
func LockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, ErrLocked
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() { _ = os.Remove(path) }, nil
}

// WaitLock retries LockFile until it succeeds or ctx ends.
func WaitLock(ctx context.Context, path string, every time.Duration) (func(), error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		release, err := LockFile(path)
		if err == nil {
			return release, nil
		}
		if !errors.Is(err, ErrLocked) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Locked runs fn while holding the lock file at path.
func Locked(path string, fn func() error) error {
	release, err := LockFile(path)
	if err != nil {
		return err
	}
	defer release()
	return fn()
}

// FinishMarker records that batch completed and clears its in-progress marker.
func FinishMarker(dir, batch string) error {
	inProgress := filepath.Join(dir, batch+".inprogress")
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(inProgress)
	}()
	stamp := time.Now().UTC().Format(time.RFC3339) + "\n"
	return WriteFileAtomic(filepath.Join(dir, batch+".done"), []byte(stamp), 0o644)
}

// StartMarker records that batch is in progress.
func StartMarker(dir, batch string) error {
	stamp := time.Now().UTC().Format(time.RFC3339) + "\n"
	return WriteFileAtomic(filepath.Join(dir, batch+".inprogress"), []byte(stamp), 0o644)
}

// Spool is a directory of input files processed one by one.
type Spool struct {
	Dir       string
	Exclusive bool
}

func (s *Spool) lockPath() string { return filepath.Join(s.Dir, ".lock") }

// Pending lists the spool's input files, oldest name first.
func (s *Spool) Pending() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// Process runs fn on one spool file, under the spool lock when Exclusive is set.
func (s *Spool) Process(name string, fn func(path string) error) error {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if s.Exclusive {
		release, err := LockFile(s.lockPath())
		if err != nil {
			return err
		}
		unlock = release
	}
	return fn(filepath.Join(s.Dir, name))
}

// Drain runs fn on every pending file.
func (s *Spool) Drain(fn func(path string) error) error {
	var release func()
	if s.Exclusive {
		r, err := LockFile(s.lockPath())
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	names, err := s.Pending()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := fn(filepath.Join(s.Dir, name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// Claim moves name out of the spool into workDir and returns its new path.
func (s *Spool) Claim(name, workDir string) (string, error) {
	release := func() {}
	if s.Exclusive {
		r, err := LockFile(s.lockPath())
		if err != nil {
			return "", err
		}
		release = r
	}
	defer release() // ok: assigned before the defer, never nil
	dst := filepath.Join(workDir, name)
	if err := os.Rename(filepath.Join(s.Dir, name), dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Requeue moves a claimed file back into the spool.
func (s *Spool) Requeue(path string) error {
	if !s.Exclusive {
		return os.Rename(path, filepath.Join(s.Dir, filepath.Base(path)))
	}
	release, err := LockFile(s.lockPath())
	if err != nil {
		return err
	}
	defer release()
	return os.Rename(path, filepath.Join(s.Dir, filepath.Base(path)))
}
