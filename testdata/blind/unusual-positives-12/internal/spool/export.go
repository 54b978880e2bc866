package spool

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteManifest writes the list of sealed segments next to them.
func (s *Spool) WriteManifest(names []string) error {
	f, err := os.Create(filepath.Join(s.dir, "MANIFEST"))
	if err != nil {
		return err
	}
	closeFile := f.Close
	defer closeFile() // HAZ defer-close-unchecked-write
	for _, n := range names {
		if _, err := fmt.Fprintln(f, n); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndex writes "name size" lines; the deferred close only matters on
// the error paths, the success path closes and checks.
func (s *Spool) WriteIndex(names []string) error {
	f, err := os.Create(filepath.Join(s.dir, "INDEX"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, n := range names {
		st, err := os.Stat(filepath.Join(s.dir, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s %d\n", n, st.Size())
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// indexAll rewrites the index for every sealed segment.
func (s *Spool) indexAll() error {
	return s.WriteIndex(s.Sealed())
}

// ReadManifest returns the names listed in the manifest.
func (s *Spool) ReadManifest() ([]string, error) {
	f, err := os.Open(filepath.Join(s.dir, "MANIFEST"))
	if err != nil {
		return nil, err
	}
	closeFile := f.Close
	defer closeFile()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		names = append(names, sc.Text())
	}
	return names, sc.Err()
}

// Archive gzips a sealed segment to name.gz.
func (s *Spool) Archive(name string) (err error) {
	src, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, dst.Close()) }()
	_, err = io.Copy(zw, src)
	return err
}

// ArchiveTo gzips a sealed segment into w's file; the gzip trailer is written
// before the file is closed because the file's close is registered first.
func (s *Spool) ArchiveTo(name, out string) (err error) {
	src, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, src)
	return err
}

// exportJob carries the pieces of one export.
type exportJob struct {
	out    *os.File
	w      io.Writer
	finish func() error
	lines  int
}

// Export writes the records of the given segments into one flat file.
func (s *Spool) Export(path string, names []string) error {
	var job exportJob
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	job.out, job.w, job.finish = f, f, f.Close
	defer job.finish() // HAZ defer-close-unchecked-write
	for _, n := range names {
		if err := s.copyInto(&job, n); err != nil {
			return err
		}
	}
	return nil
}

// ExportChecked is Export with the close error folded into the result.
func (s *Spool) ExportChecked(path string, names []string) (err error) {
	var job exportJob
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	job.out, job.w, job.finish = f, bw, f.Close
	defer func() { err = errors.Join(err, job.finish()) }()
	for _, n := range names {
		if err := s.copyInto(&job, n); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// copyInto appends one segment to the export.
func (s *Spool) copyInto(job *exportJob, name string) error {
	src, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		job.lines++
		if _, err := job.w.Write(append(sc.Bytes(), '\n')); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ReadArchive streams the records of an archived segment to fn.
func (s *Spool) ReadArchive(name string, fn func([]byte) error) error {
	f, err := os.Open(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("spool: %s.gz: %w", name, err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ArchivedSize returns the uncompressed size of an archived segment.
func (s *Spool) ArchivedSize(name string) (int64, error) {
	f, err := os.Open(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	return io.Copy(io.Discard, zr)
}
