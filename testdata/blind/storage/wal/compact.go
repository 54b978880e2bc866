package wal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
)

// Compact merges all sealed segments into the newest sealed one, keeping
// only the records for which keep returns true.
func (l *Log) Compact(keep func(rec []byte) bool) error {
	sealed := l.SealedSegments()
	if len(sealed) < 2 {
		return nil
	}
	last := sealed[len(sealed)-1]
	if err := compactSegments(l.dir, sealed, keep, segmentPath(l.dir, last)); err != nil {
		return err
	}
	for _, id := range sealed[:len(sealed)-1] {
		if err := os.Remove(segmentPath(l.dir, id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ids = slices.DeleteFunc(l.ids, func(id uint64) bool { return id < last })
	return syncDir(l.dir)
}

// compactSegments copies the kept records of ids, in order, into a temp
// file that is then renamed to dst.
func compactSegments(dir string, ids []uint64, keep func([]byte) bool, dst string) (err error) {
	out, err := os.CreateTemp(dir, "compact-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close() // ok: failure path; success path closes and checks below
			os.Remove(out.Name())
		}
	}()
	w := bufio.NewWriter(out)
	for _, id := range ids {
		f, err := os.Open(segmentPath(dir, id))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := copyKept(w, bufio.NewReader(f), keep); err != nil {
			return fmt.Errorf("wal: compact segment %d: %w", id, err)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(out.Name(), dst)
}

// rewriteSegment filters a single sealed segment in place.
func rewriteSegment(dir string, id uint64, keep func([]byte) bool) (err error) {
	src, err := os.Open(segmentPath(dir, id))
	if err != nil {
		return err
	}
	defer src.Close() // ok: read-only

	out, err := os.CreateTemp(dir, "rewrite-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(out.Name())
		}
	}()
	w := bufio.NewWriter(out)
	if err := copyKept(w, bufio.NewReader(src), keep); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return os.Rename(out.Name(), segmentPath(dir, id))
}

// RewriteSealed filters every sealed segment one by one.
func (l *Log) RewriteSealed(keep func([]byte) bool) error {
	ids := l.SealedSegments()
	defer l.opts.Logf("wal: rewrite pass over %d sealed segments finished", len(ids)) // ok: ids is not reassigned
	for _, id := range ids {
		if err := rewriteSegment(l.dir, id, keep); err != nil {
			return fmt.Errorf("wal: rewrite %d: %w", id, err)
		}
	}
	return syncDir(l.dir)
}

func copyKept(w io.Writer, r *bufio.Reader, keep func([]byte) bool) error {
	seg := &segment{w: bufio.NewWriterSize(w, 0)}
	for {
		rec, err := readRecord(r)
		if err == io.EOF {
			return seg.w.Flush()
		}
		if err != nil {
			return err
		}
		if !keep(rec) {
			continue
		}
		if _, err := seg.append(rec); err != nil {
			return err
		}
	}
}
