// Package store persists records to local files.
package store

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Store keeps named blobs in a directory.
type Store struct {
	dir   string
	mu    sync.Mutex
	mtime map[string]time.Time
}

// Open returns a store rooted at dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{dir: dir, mtime: make(map[string]time.Time)}, nil
}

// Close writes the index file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return WriteJSON(filepath.Join(s.dir, "index.json"), s.mtime)
}

// Touch marks names as modified now.
func (s *Store) Touch(names []string) {
	for _, n := range names {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.mtime[n] = time.Now()
	}
}

// TouchAll marks names as modified now under one lock.
func (s *Store) TouchAll(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, n := range names {
		s.mtime[n] = now
	}
}

// TouchEach marks names one lock at a time.
func (s *Store) TouchEach(names []string) {
	for _, n := range names {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock() // ok: the literal returns each iteration
			s.mtime[n] = time.Now()
		}()
	}
}

// WriteJSON writes v to path atomically.
func WriteJSON(path string, v any) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	defer func() { err = errors.Join(err, tmp.Close()) }() // ok: close error joins the result
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// AppendLine appends one line to the file at path.
func AppendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(line + "\n")
	return err
}

// AppendLines appends lines and checks the close.
func AppendLines(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns f.Close()
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ExportCSV writes rows to a new file at path.
func ExportCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	return w.WriteAll(rows)
}

// ExportCSVChecked writes rows and reports the close error.
func ExportCSVChecked(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	return w.WriteAll(rows)
}

// WriteGz writes data gzip-compressed to path.
func WriteGz(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	_, err = zw.Write(data)
	return err
}

// WriteGzChecked is WriteGz with the gzip trailer error reported.
func WriteGzChecked(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: registered after f, so it runs first
	_, err = zw.Write(data)
	return err
}

// WriteSnapshot writes v as gzip-compressed JSON.
func WriteSnapshot(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return json.NewEncoder(zw).Encode(v)
}

// ReadGz reads a gzip-compressed file.
func ReadGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close() // ok: reader, registered after f
	return io.ReadAll(zr)
}

// Concat returns the contents of a followed by b.
func Concat(a, b string) ([]byte, error) {
	f, err := os.Open(a)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	first, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	f, err = os.Open(b)
	if err != nil {
		return nil, err
	}
	second, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

// ConcatFiles returns the contents of the files in order.
func ConcatFiles(paths ...string) ([]byte, error) {
	var out []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// Commit writes data under name via a temporary file.
func (s *Store) Commit(name string, data []byte) error {
	tmp := filepath.Join(s.dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if _, err := os.Stat(tmp); err == nil {
			return os.Remove(tmp)
		}
		return nil
	}()
	if err := os.Rename(tmp, filepath.Join(s.dir, name)); err != nil {
		return err
	}
	s.mu.Lock()
	s.mtime[name] = time.Now()
	s.mu.Unlock()
	return nil
}

// CommitClean writes data under name and removes the temporary file on
// failure, reporting that error as well.
func (s *Store) CommitClean(name string, data []byte) (err error) {
	tmp := filepath.Join(s.dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if rerr := os.Remove(tmp); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
				err = errors.Join(err, rerr)
			}
		}
	}()
	return os.Rename(tmp, filepath.Join(s.dir, name))
}
