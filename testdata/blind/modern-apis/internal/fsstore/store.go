// Package fsstore is a small blob and journal store confined to one
// directory with os.Root, so names can never escape it.
package fsstore

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for missing blobs.
var ErrNotFound = errors.New("fsstore: not found")

// Store is a directory of blobs plus an append-only journal.
type Store struct {
	root    *os.Root
	mu      sync.Mutex
	journal string
}

// Open opens (creating if needed) the store directory.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if err := root.MkdirAll("blobs", 0o755); err != nil {
		return nil, errors.Join(err, root.Close())
	}
	return &Store{root: root, journal: "journal.log"}, nil
}

// Close releases the root handle.
func (s *Store) Close() error { return s.root.Close() }

func blobPath(name string) string { return path.Join("blobs", name) }

// Get reads a whole blob.
func (s *Store) Get(name string) ([]byte, error) {
	b, err := s.root.ReadFile(blobPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return b, err
}

// Put writes a blob atomically: temp file, sync, close, rename.
func (s *Store) Put(name string, data []byte) (err error) {
	tmp := blobPath(name + ".tmp")
	f, err := s.root.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			s.root.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return s.root.Rename(tmp, blobPath(name))
}

// PutReader streams r into a blob and reports the bytes written.
func (s *Store) PutReader(name string, r io.Reader) (int64, error) {
	f, err := s.root.Create(blobPath(name))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return n, err
	}
	return n, f.Close()
}

// PutBlob writes data and closes the file in a deferred closure.
func (s *Store) PutBlob(name string, data []byte) error {
	f, err := s.root.Create(blobPath(name))
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(data)
	return err
}

// Checksum returns the hex SHA-256 of a blob.
func (s *Store) Checksum(name string) (string, error) {
	f, err := s.root.Open(blobPath(name))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Header returns the first line of a blob.
func (s *Store) Header(name string) (string, error) {
	f, err := s.root.Open(blobPath(name))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// Size returns a blob's size using the root's Stat.
func (s *Store) Size(name string) (int64, error) {
	fi, err := s.root.Stat(blobPath(name))
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Names yields blob names in sorted order.
func (s *Store) Names() iter.Seq[string] {
	return func(yield func(string) bool) {
		entries, err := fs.ReadDir(s.root.FS(), "blobs")
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasSuffix(e.Name(), ".tmp") {
				if !yield(e.Name()) {
					return
				}
			}
		}
	}
}

// Checksums returns the checksum of every blob; each file is opened and
// closed inside its own call.
func (s *Store) Checksums() (map[string]string, error) {
	out := make(map[string]string)
	var errs []error
	for name := range s.Names() {
		sum, err := s.Checksum(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[name] = sum
	}
	return out, errors.Join(errs...)
}

// LineCounts counts lines in each named blob, closing each file before the
// next is opened.
func (s *Store) LineCounts(names []string) (map[string]int, error) {
	counts := make(map[string]int, len(names))
	for _, name := range names {
		err := func() error {
			f, err := s.root.Open(blobPath(name))
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				counts[name]++
			}
			return sc.Err()
		}()
		if err != nil {
			return counts, err
		}
	}
	return counts, nil
}

// ImportAll copies files from src into blobs, keeping their base names.
func (s *Store) ImportAll(src *os.Root, names iter.Seq[string]) (int, error) {
	n := 0
	for name := range names {
		in, err := src.Open(name)
		if err != nil {
			return n, err
		}
		defer in.Close() // HAZ defer-in-loop
		if err := s.Put(path.Base(name), mustRead(in)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func mustRead(r io.Reader) []byte {
	b, err := io.ReadAll(r)
	if err != nil {
		panic(err)
	}
	return b
}

// AppendJournal appends one timestamped line to the journal.
func (s *Store) AppendJournal(msg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.root.OpenFile(s.journal, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), msg)
	return err
}

// AppendJournalSync is AppendJournal that syncs and checks the close.
func (s *Store) AppendJournalSync(msgs ...string) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.root.OpenFile(s.journal, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	for _, m := range msgs {
		fmt.Fprintf(w, "%s %s\n", time.Now().UTC().Format(time.RFC3339), m)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Journal returns the journal lines, newest last.
func (s *Store) Journal() ([]string, error) {
	f, err := s.root.Open(s.journal)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// Diff reports which lines of blob b are not in blob a; it reads one and
// then the other through the same variable.
func (s *Store) Diff(a, b string) ([]string, error) {
	f, err := s.root.Open(blobPath(a))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	seen := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		seen[sc.Text()] = true
	}
	f, err = s.root.Open(blobPath(b))
	if err != nil {
		return nil, err
	}
	var extra []string
	sc = bufio.NewScanner(f)
	for sc.Scan() {
		if !seen[sc.Text()] {
			extra = append(extra, sc.Text())
		}
	}
	return extra, sc.Err()
}

// Common reports lines present in both blobs, each file closed by its own
// deferred call.
func (s *Store) Common(a, b string) ([]string, error) {
	fa, err := s.root.Open(blobPath(a))
	if err != nil {
		return nil, err
	}
	defer fa.Close()
	fb, err := s.root.Open(blobPath(b))
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	seen := make(map[string]bool)
	for sc := bufio.NewScanner(fa); sc.Scan(); {
		seen[sc.Text()] = true
	}
	var both []string
	for sc := bufio.NewScanner(fb); sc.Scan(); {
		if seen[sc.Text()] {
			both = append(both, sc.Text())
		}
	}
	slices.Sort(both)
	return slices.Compact(both), nil
}

// Remove deletes a blob.
func (s *Store) Remove(name string) error {
	err := s.root.Remove(blobPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return err
}
