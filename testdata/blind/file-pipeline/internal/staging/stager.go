// Package staging collects files in a staging directory, with their sizes
// and digests, before they are uploaded as one batch.
package staging

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"example.com/filepipeline/internal/fsutil"
)

// Part is one staged file.
type Part struct {
	Name string `json:"name"`
	Path string `json:"-"`
	Size int64  `json:"size"`
	Sum  string `json:"sha256"`
}

// Stager is safe for concurrent use.
type Stager struct {
	dir         string
	keepPartial bool
	log         *log.Logger

	mu    sync.Mutex
	parts map[string]Part
}

// NewStager uses dir (created if needed) as the staging area. With
// keepPartial, interrupted writes are left in place for inspection.
func NewStager(dir string, keepPartial bool, logger *log.Logger) (*Stager, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &Stager{dir: dir, keepPartial: keepPartial, log: logger, parts: make(map[string]Part)}, nil
}

// Dir returns the staging directory.
func (s *Stager) Dir() string { return s.dir }

// writePartial copies r to path, fsyncs it and returns its size and digest.
func writePartial(path string, r io.Reader) (size int64, sum string, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return 0, "", err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return size, "", err
	}
	return size, hex.EncodeToString(h.Sum(nil)), f.Sync()
}

// Stage copies r into the staging area under name.
func (s *Stager) Stage(name string, r io.Reader) (p Part, err error) {
	if !filepath.IsLocal(name) {
		return Part{}, fmt.Errorf("staging: bad part name %q", name)
	}
	tmp := filepath.Join(s.dir, name+".partial")
	var undo func()
	if !s.keepPartial {
		undo = func() {
			if err != nil {
				_ = os.Remove(tmp)
			}
		}
	}
	defer undo() // HAZ defer-nil-func
	size, sum, err := writePartial(tmp, r)
	if err != nil {
		return Part{}, err
	}
	final := filepath.Join(s.dir, name)
	if err = os.Rename(tmp, final); err != nil {
		return Part{}, err
	}
	p = Part{Name: name, Path: final, Size: size, Sum: sum}
	s.mu.Lock()
	s.parts[name] = p
	s.mu.Unlock()
	return p, nil
}

// StageFile stages a copy of the file at path under its base name.
func (s *Stager) StageFile(path string) (Part, error) {
	f, err := os.Open(path)
	if err != nil {
		return Part{}, err
	}
	defer f.Close()
	return s.Stage(filepath.Base(path), f)
}

// StageBytes stages data under name, logging how long it took if the
// stager has a logger.
func (s *Stager) StageBytes(name string, data []byte) (Part, error) {
	done := func() {}
	if s.log != nil {
		start := time.Now()
		done = func() { s.log.Printf("staged %s (%d bytes) in %v", name, len(data), time.Since(start)) }
	}
	defer done()
	return s.Stage(name, bytesReader(data))
}

func bytesReader(b []byte) io.Reader {
	return &byteReader{b: b}
}

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// Parts yields the staged parts in name order.
func (s *Stager) Parts() iter.Seq[Part] {
	return func(yield func(Part) bool) {
		s.mu.Lock()
		snap := maps.Clone(s.parts)
		s.mu.Unlock()
		for _, name := range slices.Sorted(maps.Keys(snap)) {
			if !yield(snap[name]) {
				return
			}
		}
	}
}

// Get returns the staged part called name.
func (s *Stager) Get(name string) (Part, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parts[name]
	return p, ok
}

// Remove drops a part and deletes its file.
func (s *Stager) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parts[name]
	if !ok {
		return nil
	}
	delete(s.parts, name)
	return os.Remove(p.Path)
}

// TotalSize returns the sum of the sizes of the staged parts.
func (s *Stager) TotalSize() int64 {
	var n int64
	for p := range s.Parts() {
		n += p.Size
	}
	return n
}

// WriteManifest writes manifest.json listing the staged parts.
func (s *Stager) WriteManifest() (string, error) {
	path := filepath.Join(s.dir, "manifest.json")
	parts := slices.Collect(s.Parts())
	err := fsutil.WriteWith(path, 0o640, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Created time.Time `json:"created"`
			Parts   []Part    `json:"parts"`
		}{time.Now().UTC(), parts})
	})
	return path, err
}

// Bundle writes all staged parts into one zip file at dst.
func (s *Stager) Bundle(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for p := range s.Parts() {
		w, err := zw.Create(p.Name)
		if err != nil {
			return err
		}
		if err := copyPart(w, p); err != nil {
			return err
		}
	}
	return nil
}

func copyPart(w io.Writer, p Part) error {
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Commit runs fn with the staging lock held and then clears the staging
// area. The lock's release error is reported.
func (s *Stager) Commit(fn func([]Part) error) (err error) {
	lk, err := fsutil.AcquireLock(filepath.Join(s.dir, ".commit.lock"))
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lk.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err := fn(slices.Collect(s.Parts())); err != nil {
		return err
	}
	return s.Reset()
}

// Reset removes every staged part.
func (s *Stager) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for name, p := range s.parts {
		if err := os.Remove(p.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		delete(s.parts, name)
	}
	return errors.Join(errs...)
}
