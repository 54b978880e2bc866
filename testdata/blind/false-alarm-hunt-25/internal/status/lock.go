package status

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// lockDir takes the directory lock by creating .lock exclusively; the returned function removes it.
func (w *Writer) lockDir() (func(), error) {
	path := filepath.Join(w.dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("status: directory %s is busy: %w", w.dir, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// Prune deletes the status files of objects not in keep. With exclusive set it holds the directory lock.
func (w *Writer) Prune(keep map[string]bool, exclusive bool) (int, error) {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if exclusive {
		u, err := w.lockDir()
		if err != nil {
			return 0, err
		}
		unlock = u
	}
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		key := strings.Replace(strings.TrimPrefix(name, "_cluster__"), "__", "/", 1)
		if keep[key] {
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// WithDirLock runs fn while holding the directory lock.
func (w *Writer) WithDirLock(fn func() error) error {
	lockPath := filepath.Join(w.dir, ".lock")
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("status: directory %s is busy: %w", w.dir, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(lockPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("status: remove %s: %w", lockPath, err)
		}
		return nil
	}()
	return fn()
}

// Compact keeps only the last keep lines of history.jsonl, under the directory lock.
func (w *Writer) Compact(keep int) error {
	unlock, err := w.lockDir()
	if err != nil {
		return err
	}
	defer unlock()

	path := filepath.Join(w.dir, "history.jsonl")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if len(lines) <= keep {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, bytes.Join(lines[len(lines)-keep:], nil), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
