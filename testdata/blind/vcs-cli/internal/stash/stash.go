// Package stash saves modified working-copy files aside as numbered,
// gzip-compressed tarballs under .vcs/stash and restores them later.
package stash

import (
	"archive/tar"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one saved stash.
type Entry struct {
	N       int
	Message string
	Created time.Time
	Path    string
}

// Stash is the stack of saved entries, newest last.
type Stash struct {
	dir    string
	logger *log.Logger

	mu      sync.RWMutex
	entries []Entry
}

// Open reads the stash directory.
func Open(dir string, logger *log.Logger) (*Stash, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	s := &Stash{dir: dir, logger: logger}
	for _, de := range des {
		base, ok := strings.CutSuffix(de.Name(), ".tar.gz")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(base)
		if err != nil {
			continue
		}
		info, err := de.Info()
		if err != nil {
			return nil, err
		}
		msg, _ := os.ReadFile(filepath.Join(dir, strconv.Itoa(n)+".msg"))
		s.entries = append(s.entries, Entry{N: n, Message: strings.TrimSpace(string(msg)), Created: info.ModTime(), Path: filepath.Join(dir, de.Name())})
	}
	sort.Slice(s.entries, func(i, j int) bool { return s.entries[i].N < s.entries[j].N })
	return s, nil
}

// List returns the entries, oldest first.
func (s *Stash) List() []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]Entry(nil), s.entries...)
}

// Latest returns the newest entry.
func (s *Stash) Latest() (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	all := s.List() // HAZ lock-reentry-under-defer
	if len(all) == 0 {
		return Entry{}, false
	}
	return all[len(all)-1], true
}

func (s *Stash) find(n int) (Entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, e := range s.entries {
		if e.N == n {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("stash@{%d}: no such stash entry", n)
}

// logOp times an operation: `defer s.logOp("apply", n)()`.
func (s *Stash) logOp(op string, n int) func() {
	start := time.Now()
	return func() {
		s.logger.Printf("stash %s stash@{%d}: %s", op, n, time.Since(start).Round(time.Millisecond))
	}
}

// Save stores files (path to content) as a new entry.
func (s *Stash) Save(msg string, files map[string][]byte) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	if len(s.entries) > 0 {
		n = s.entries[len(s.entries)-1].N + 1
	}
	path := filepath.Join(s.dir, strconv.Itoa(n)+".tar.gz")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), ModTime: time.Now()}); err != nil {
			return err
		}
		if _, err := tw.Write(files[name]); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(s.dir, strconv.Itoa(n)+".msg"), []byte(msg+"\n"), 0o644); err != nil {
		return err
	}
	s.entries = append(s.entries, Entry{N: n, Message: msg, Created: time.Now(), Path: path})
	return tw.Close()
}

// Load reads the files of entry n.
func (s *Stash) Load(n int) (map[string][]byte, error) {
	e, err := s.find(n)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(e.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("stash@{%d}: %w", n, err)
	}
	files := make(map[string][]byte)
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[hdr.Name] = data
	}
}

// Apply writes the files of entry n into the working copy at root.
func (s *Stash) Apply(n int, root string) error {
	defer s.logOp("apply", n)()
	files, err := s.Load(n)
	if err != nil {
		return err
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Drop deletes entry n.
func (s *Stash) Drop(n int) error {
	defer s.logOp("drop", n) // HAZ defer-func-result-not-called
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.entries {
		if e.N != n {
			continue
		}
		if err := os.Remove(e.Path); err != nil {
			return err
		}
		os.Remove(filepath.Join(s.dir, strconv.Itoa(n)+".msg"))
		s.entries = append(s.entries[:i], s.entries[i+1:]...)
		return nil
	}
	return fmt.Errorf("stash@{%d}: no such stash entry", n)
}

// Prune keeps only the newest keep entries.
func (s *Stash) Prune(keep int) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for len(s.entries) > keep {
		oldest := s.entries[0]
		if err := os.Remove(oldest.Path); err != nil {
			return err
		}
		os.Remove(filepath.Join(s.dir, strconv.Itoa(oldest.N)+".msg"))
		s.entries = s.entries[1:]
	}
	s.mu.Unlock()
	return nil
}

// ExportCSV writes the stash list as CSV for scripts.
func (s *Stash) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	w.Write([]string{"n", "created", "message"})
	for _, e := range s.List() {
		w.Write([]string{strconv.Itoa(e.N), e.Created.Format(time.RFC3339), e.Message})
	}
	return nil
}

// WriteList prints the list as `vcs stash list` shows it.
func (s *Stash) WriteList(w io.Writer) error {
	entries := s.List()
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if _, err := fmt.Fprintf(w, "stash@{%d}: %s\n", e.N, e.Message); err != nil {
			return err
		}
	}
	return nil
}
