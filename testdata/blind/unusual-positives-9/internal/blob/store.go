// Package blob stores named blobs as plain files under a root directory and keeps an
// in-memory index of their sizes.
package blob

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Hooks lets the embedding program observe store operations.
type Hooks struct {
	// Enter is called when an operation starts; the func it returns is called when the
	// operation ends (tracing, in-flight gauges).
	Enter func(op string) func()
	// Logf receives audit lines. Defaults to log.Printf.
	Logf func(format string, args ...any)
}

// Store is a directory of blobs.
type Store struct {
	root  string
	hooks Hooks

	mu    sync.RWMutex
	index map[string]int64 // blob name -> size in bytes
}

// Open opens (creating if needed) the store rooted at root.
func Open(root string, hooks Hooks) (*Store, error) {
	if hooks.Enter == nil {
		hooks.Enter = func(string) func() { return func() {} }
	}
	if hooks.Logf == nil {
		hooks.Logf = log.Printf
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	s := &Store{root: root, hooks: hooks, index: make(map[string]int64)}
	if err := s.reindex(); err != nil {
		return nil, fmt.Errorf("blob: reindex %s: %w", root, err)
	}
	return s, nil
}

func (s *Store) path(name string) string { return filepath.Join(s.root, name) }

// isMeta reports whether a directory entry is store bookkeeping rather than a blob.
func isMeta(name string) bool {
	switch name {
	case "MANIFEST", "LOCK", "journal.log":
		return true
	}
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".sum") || strings.HasSuffix(name, ".tmp")
}

func (s *Store) reindex() error {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		if e.IsDir() || isMeta(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		s.index[e.Name()] = info.Size()
	}
	return nil
}

// Put stores the content of r under name, atomically replacing any previous blob.
func (s *Store) Put(name string, r io.Reader) error {
	defer s.hooks.Enter("put")()
	if name == "" || isMeta(name) || strings.ContainsRune(name, '/') {
		return fmt.Errorf("blob: invalid name %q", name)
	}
	tmp, err := os.CreateTemp(s.root, ".put-*")
	if err != nil {
		return err
	}
	n, err := io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path(name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	s.mu.Lock()
	s.index[name] = n
	s.mu.Unlock()
	return nil
}

// Get opens blob name for reading. The caller closes it.
func (s *Store) Get(name string) (io.ReadCloser, error) {
	if isMeta(name) {
		return nil, fs.ErrNotExist
	}
	return os.Open(s.path(name))
}

// Size returns the indexed size of name.
func (s *Store) Size(name string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.index[name]
	return n, ok
}

// Delete removes blob name. Deleting a missing blob is not an error.
func (s *Store) Delete(name string) error {
	defer s.hooks.Enter("delete") // HAZ defer-func-result-not-called
	if err := os.Remove(s.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", name, err)
	}
	os.Remove(s.path(name) + ".sum")
	s.mu.Lock()
	delete(s.index, name)
	s.mu.Unlock()
	return nil
}

// LockExclusive takes the store's advisory lock file and returns the func that
// releases it.
func (s *Store) LockExclusive() (func(), error) {
	p := filepath.Join(s.root, "LOCK")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("blob: store is locked: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}

// Close writes the manifest. The store must not be used afterwards.
func (s *Store) Close() error {
	return s.WriteManifest(filepath.Join(s.root, "MANIFEST"))
}
