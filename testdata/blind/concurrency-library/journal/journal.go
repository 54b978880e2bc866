// Package journal persists records in length-prefixed segment files, used by
// the queue and the broker to survive restarts.
package journal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Journal appends records to the current segment and rotates by size.
type Journal struct {
	mu      sync.Mutex
	dir     string
	seq     int
	f       *os.File
	w       *bufio.Writer
	size    int64
	maxSize int64
}

func segmentName(dir string, seq int) string {
	return filepath.Join(dir, fmt.Sprintf("%08d.seg", seq))
}

// Open starts a new segment in dir after the existing ones.
func Open(dir string, maxSize int64) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	segs, err := Segments(dir)
	if err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, seq: len(segs), maxSize: maxSize}
	if err := j.openNextLocked(); err != nil {
		return nil, err
	}
	return j, nil
}

func (j *Journal) openNextLocked() error {
	j.seq++
	f, err := os.OpenFile(segmentName(j.dir, j.seq), os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	j.f, j.w, j.size = f, bufio.NewWriter(f), 0
	return nil
}

func (j *Journal) closeSegmentLocked() error {
	if j.f == nil {
		return nil
	}
	err := errors.Join(j.w.Flush(), j.f.Sync(), j.f.Close())
	j.f, j.w = nil, nil
	return err
}

func writeRecord(w io.Writer, rec []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(rec)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(rec)
	return err
}

// Append writes rec to the current segment.
func (j *Journal) Append(rec []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return os.ErrClosed
	}
	if j.size+int64(len(rec))+4 > j.maxSize && j.size > 0 {
		if err := j.closeSegmentLocked(); err != nil {
			return err
		}
		if err := j.openNextLocked(); err != nil {
			return err
		}
	}
	if err := writeRecord(j.w, rec); err != nil {
		return err
	}
	j.size += int64(len(rec)) + 4
	return nil
}

// Sync flushes buffered records to stable storage.
func (j *Journal) Sync() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return os.ErrClosed
	}
	if err := j.w.Flush(); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close flushes and closes the current segment.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.closeSegmentLocked()
}

// Segments lists the segment files of dir in order.
func Segments(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

func readRecords(r io.Reader, fn func([]byte) error) error {
	br := bufio.NewReader(r)
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		rec := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(br, rec); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// ReadSegment returns every record of one segment.
func ReadSegment(path string) ([][]byte, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out [][]byte
	err = readRecords(f, func(rec []byte) error {
		out = append(out, rec)
		return nil
	})
	return out, err
}

// ReplayAll calls fn for every record of every segment in dir.
func ReplayAll(dir string, fn func([]byte) error) error {
	paths, err := Segments(dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := readRecords(f, fn); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// Replay is ReplayAll with each segment closed before the next is opened.
func Replay(dir string, fn func([]byte) error) error {
	paths, err := Segments(dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := replayFile(p, fn); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

func replayFile(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, after the error check
	return readRecords(f, fn)
}

// Count returns the number of records across paths.
func Count(paths []string) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	f, err := os.Open(paths[0])
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	n := 0
	for i := 1; ; i++ {
		if err := readRecords(f, func([]byte) error { n++; return nil }); err != nil {
			return n, err
		}
		if i == len(paths) {
			return n, nil
		}
		f, err = os.Open(paths[i])
		if err != nil {
			return n, err
		}
	}
}

// WriteSegment writes recs to a new standalone segment file.
func WriteSegment(path string, recs [][]byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if err := writeRecord(f, r); err != nil {
			return err
		}
	}
	return nil
}

// WriteSegmentSync is WriteSegment that reports close and sync errors.
func WriteSegmentSync(path string, recs [][]byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	w := bufio.NewWriter(f)
	for _, r := range recs {
		if err := writeRecord(w, r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// SegmentSize reports the size of a segment file.
func SegmentSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
