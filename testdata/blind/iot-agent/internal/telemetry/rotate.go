package telemetry

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Rotator is an append-only log file that is renamed aside when it grows past
// maxSize; rotated files are gzip-compressed and only the newest keep are kept.
type Rotator struct {
	dir, base string
	maxSize   int64
	keep      int

	mu   sync.Mutex
	cur  *os.File
	size int64
	gen  int
}

// NewRotator opens (or creates) dir/base for appending.
func NewRotator(dir, base string, maxSize int64, keep int) (*Rotator, error) {
	r := &Rotator{dir: dir, base: base, maxSize: maxSize, keep: keep}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.openLocked(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) path() string { return filepath.Join(r.dir, r.base) }

func (r *Rotator) openLocked() error {
	f, err := os.OpenFile(r.path(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.cur, r.size = f, st.Size()
	return nil
}

// Write appends p, rotating first if p would overflow the current file.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(p)) > r.maxSize {
		if err := r.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := r.cur.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *Rotator) rotateLocked() error {
	if err := r.cur.Close(); err != nil {
		return err
	}
	r.gen++
	if err := os.Rename(r.path(), fmt.Sprintf("%s.%d", r.path(), r.gen)); err != nil {
		return err
	}
	return r.openLocked()
}

func (r *Rotator) current() *os.File {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// WriteRecords appends several records and fsyncs the log once at the end so a
// power cut loses at most one call's worth.
func (r *Rotator) WriteRecords(recs [][]byte) error {
	defer r.current().Sync() // HAZ defer-call-chain
	for _, rec := range recs {
		if _, err := r.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// Sync flushes the current file to stable storage.
func (r *Rotator) Sync() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur.Sync()
}

// rotated lists the uncompressed rotated files.
func (r *Rotator) rotated() ([]string, error) {
	matches, err := filepath.Glob(r.path() + ".*")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if !strings.HasSuffix(m, ".gz") {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Archive compresses every rotated file and prunes old archives.
func (r *Rotator) Archive() error {
	files, err := r.rotated()
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := r.compress(f); err != nil {
			return fmt.Errorf("telemetry: compress %s: %w", f, err)
		}
	}
	return r.prune()
}

// compress gzips src into src.gz and removes src.
func (r *Rotator) compress(src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-close-unchecked-write
	defer out.Close() // HAZ defer-order-inverted
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// prune removes the oldest archives beyond r.keep.
func (r *Rotator) prune() error {
	archives, err := filepath.Glob(r.path() + ".*.gz")
	if err != nil {
		return err
	}
	sort.Slice(archives, func(i, j int) bool {
		return generation(archives[i]) < generation(archives[j])
	})
	for len(archives) > r.keep {
		if err := os.Remove(archives[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		archives = archives[1:]
	}
	return nil
}

// generation extracts N from "base.N.gz".
func generation(path string) int {
	s := strings.TrimSuffix(path, ".gz")
	var n int
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		fmt.Sscanf(s[i+1:], "%d", &n)
	}
	return n
}

// Close closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur.Close()
}

// GzipFile compresses src into dst. The gzip writer is closed before the file
// it writes into, and both errors reach the caller.
func GzipFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// ReadArchive returns the decompressed contents of a .gz file.
func ReadArchive(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	defer zr.Close()
	defer f.Close()
	return io.ReadAll(zr)
}

// Bundle writes the named files into a gzip-compressed tar at dst for upload to
// the support portal.
func Bundle(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	tw := tar.NewWriter(zw)
	for _, name := range files {
		if err := addToTar(tw, name); err != nil {
			return err
		}
	}
	return tw.Close()
}

// addToTar appends one regular file to tw under its base name.
func addToTar(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
